//! DOM objects, one file per interface (Servo's layout), and the bindings runtime.

pub mod bindings;

pub mod abortsignal;
pub mod backgroundfetch;
pub mod base64;
pub mod blob;
pub mod body;
pub mod characterdata;
pub mod client;
pub mod console;
pub mod customevent;
pub mod dedicatedworkerglobalscope;
pub mod document;
pub mod domexception;
pub mod domimplementation;
pub mod element;
pub mod error_reporting;
pub mod errorevent;
pub mod event;
pub mod eventtarget;
pub mod extendableevent;
pub mod extendablemessageevent;
pub mod fetch;
pub mod file;
pub mod filereader;
pub mod formdata;
pub mod globalscope;
pub mod headers;
pub mod htmlelement;
pub mod htmlscriptelement;
pub mod installevent;
pub mod location;
pub mod messagechannel;
pub mod messageevent;
pub mod messageport;
pub mod mutationobserver;
pub mod navigator;
pub mod node;
pub mod pending;
pub mod promiserejectionevent;
pub mod quotaexceedederror;
pub mod rejected_promises;
pub mod request;
pub mod response;
pub mod selectors;
pub mod serviceworker;
pub mod serviceworkercontainer;
pub mod serviceworkerglobalscope;
pub mod serviceworkerregistration;
pub mod servoparser;
pub mod sharedworker;
pub mod sharedworkerglobalscope;
pub mod textdecoder;
pub mod textencoder;
pub mod timers;
pub mod url;
pub mod urlsearchparams;
pub mod window;
pub mod windoworworkerglobalscope;
pub mod worker;
pub mod workerglobalscope;

#[cfg(test)]
pub mod testbinding;

/// Every DOM type under its interface name: what the generated code refers to.
pub mod types {
    pub use super::abortsignal::{AbortController, AbortSignal};
    pub use super::backgroundfetch::event::BackgroundFetchEvent;
    pub use super::backgroundfetch::manager::BackgroundFetchManager;
    pub use super::backgroundfetch::record::BackgroundFetchRecord;
    pub use super::backgroundfetch::registration::BackgroundFetchRegistration;
    pub use super::backgroundfetch::update_ui_event::BackgroundFetchUpdateUIEvent;
    pub use super::blob::Blob;
    pub use super::characterdata::{
        CDATASection, CharacterData, Comment, DocumentType, ProcessingInstruction, Text,
    };
    pub use super::client::{Client, Clients, WindowClient};
    pub use super::console::console;
    pub use super::customevent::CustomEvent;
    pub use super::dedicatedworkerglobalscope::DedicatedWorkerGlobalScope;
    pub use super::document::Document;
    pub use super::domexception::DOMException;
    pub use super::domimplementation::{DOMImplementation, XMLDocument};
    pub use super::element::{DOMTokenList, DocumentFragment, Element, HTMLCollection};
    pub use super::errorevent::ErrorEvent;
    pub use super::event::Event;
    pub use super::eventtarget::EventTarget;
    pub use super::extendableevent::ExtendableEvent;
    pub use super::extendablemessageevent::ExtendableMessageEvent;
    pub use super::file::File;
    pub use super::filereader::{FileReader, FileReaderSync, ProgressEvent};
    pub use super::formdata::FormData;
    pub use super::headers::Headers;
    pub use super::htmlelement::{
        HTMLBodyElement, HTMLElement, HTMLHeadElement, HTMLHtmlElement, HTMLMetaElement,
        HTMLTemplateElement, HTMLTitleElement, HTMLUnknownElement,
    };
    pub use super::htmlscriptelement::HTMLScriptElement;
    pub use super::installevent::InstallEvent;
    pub use super::location::{Location, WorkerLocation};
    pub use super::messagechannel::MessageChannel;
    pub use super::messageevent::MessageEvent;
    pub use super::messageport::MessagePort;
    pub use super::mutationobserver::{MutationObserver, MutationRecord};
    pub use super::navigator::{Navigator, WorkerNavigator};
    pub use super::node::{Node, NodeList};
    pub use super::pending::{Cache, CacheStorage};
    pub use super::promiserejectionevent::PromiseRejectionEvent;
    pub use super::quotaexceedederror::QuotaExceededError;
    pub use super::request::Request;
    pub use super::response::Response;
    pub use super::serviceworker::ServiceWorker;
    pub use super::serviceworkercontainer::ServiceWorkerContainer;
    pub use super::serviceworkerglobalscope::ServiceWorkerGlobalScope;
    pub use super::serviceworkerregistration::ServiceWorkerRegistration;
    pub use super::sharedworker::SharedWorker;
    pub use super::sharedworkerglobalscope::SharedWorkerGlobalScope;
    #[cfg(test)]
    pub use super::testbinding::*;
    pub use super::textdecoder::TextDecoder;
    pub use super::textencoder::TextEncoder;
    pub use super::url::URL;
    pub use super::urlsearchparams::URLSearchParams;
    pub use super::window::Window;
    pub use super::worker::Worker;
    pub use super::workerglobalscope::WorkerGlobalScope;
}
