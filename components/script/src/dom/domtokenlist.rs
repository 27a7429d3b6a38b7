//! <https://dom.spec.whatwg.org/#interface-domtokenlist>

use crate::dom::bindings::codegen::DOMTokenListBinding::DOMTokenListMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::element::Element;

/// <https://dom.spec.whatwg.org/#interface-domtokenlist> for an element's `class` attribute
/// (`classList`): live, read from the attribute on every access.
pub struct DOMTokenList<'js> {
    element: Dom<'js, Element<'js>>,
    attribute: String,
}

impl<'js> Trace<'js> for DOMTokenList<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.element.trace(tracer)
    }
}

/// <https://dom.spec.whatwg.org/#concept-ordered-set-parser>
pub(crate) fn ordered_set(value: &str) -> Vec<String> {
    let mut set: Vec<String> = Vec::new();
    for t in value.split_ascii_whitespace() {
        if !set.iter().any(|x| x == t) {
            set.push(t.to_string());
        }
    }
    set
}

/// The validation steps of add/remove/toggle/replace: "" is a SyntaxError, whitespace an
/// InvalidCharacterError.
fn validate_token(token: &str) -> Fallible<()> {
    if token.is_empty() {
        return Err(Error::dom(DomErrorName::SyntaxError, "the token is empty"));
    }
    if token.chars().any(|c| c.is_ascii_whitespace()) {
        return Err(Error::dom(
            DomErrorName::InvalidCharacterError,
            format!("the token '{token}' contains whitespace"),
        ));
    }
    Ok(())
}

impl<'js> DOMTokenList<'js> {
    /// The token set of `element`'s `attribute` content attribute.
    pub fn new_inherited(element: Dom<'js, Element<'js>>, attribute: String) -> Self {
        DOMTokenList { element, attribute }
    }
    fn tokens(&self) -> Vec<String> {
        ordered_set(&self.element.get_attr(&self.attribute).unwrap_or_default())
    }
    /// <https://dom.spec.whatwg.org/#concept-dtl-update>
    fn update(&self, ctx: &Ctx<'js>, tokens: &[String]) {
        if !self.element.has_attr(&self.attribute) && tokens.is_empty() {
            return;
        }
        self.element
            .set_attr(ctx, &self.element, &self.attribute, tokens.join(" "));
    }
}

impl<'js> DOMTokenListMethods<'js> for DOMTokenList<'js> {
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.tokens().len() as u32)
    }
    fn value(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.element.get_attr(&self.attribute).unwrap_or_default())
    }
    fn set_value(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.element
            .set_attr(&cx.ctx, &self.element, &self.attribute, value);
        Ok(())
    }
    fn item(&self, _cx: &Cx<'js>, index: u32) -> Fallible<Option<DOMString>> {
        Ok(self.tokens().get(index as usize).cloned())
    }
    fn contains(&self, _cx: &Cx<'js>, token: DOMString) -> Fallible<bool> {
        Ok(self.tokens().contains(&token))
    }
    /// <https://dom.spec.whatwg.org/#dom-domtokenlist-add>
    fn add(&self, cx: &Cx<'js>, tokens: Vec<DOMString>) -> Fallible<()> {
        for t in &tokens {
            validate_token(t)?;
        }
        let mut set = self.tokens();
        for t in tokens {
            if !set.contains(&t) {
                set.push(t);
            }
        }
        self.update(&cx.ctx, &set);
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-domtokenlist-remove>
    fn remove(&self, cx: &Cx<'js>, tokens: Vec<DOMString>) -> Fallible<()> {
        for t in &tokens {
            validate_token(t)?;
        }
        let mut set = self.tokens();
        set.retain(|t| !tokens.contains(t));
        self.update(&cx.ctx, &set);
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-domtokenlist-toggle>
    fn toggle(&self, cx: &Cx<'js>, token: DOMString, force: Option<bool>) -> Fallible<bool> {
        validate_token(&token)?;
        let mut set = self.tokens();
        if set.contains(&token) {
            if force != Some(true) {
                set.retain(|t| *t != token);
                self.update(&cx.ctx, &set);
                return Ok(false);
            }
            return Ok(true);
        }
        if force != Some(false) {
            set.push(token);
            self.update(&cx.ctx, &set);
            return Ok(true);
        }
        Ok(false)
    }
    /// <https://dom.spec.whatwg.org/#dom-domtokenlist-replace>
    fn replace(&self, cx: &Cx<'js>, token: DOMString, new_token: DOMString) -> Fallible<bool> {
        validate_token(&token)?;
        validate_token(&new_token)?;
        let set = self.tokens();
        if !set.contains(&token) {
            return Ok(false);
        }
        // Replace the first of token/newToken with newToken and drop the other.
        let mut out: Vec<String> = Vec::new();
        for t in set {
            let t = if t == token { new_token.clone() } else { t };
            if !out.contains(&t) {
                out.push(t);
            }
        }
        self.update(&cx.ctx, &out);
        Ok(true)
    }
    /// <https://dom.spec.whatwg.org/#dom-domtokenlist-supports>: `class` has no supported
    /// tokens, so this is a TypeError.
    fn supports(&self, _cx: &Cx<'js>, _token: DOMString) -> Fallible<bool> {
        Err(Error::Type(format!(
            "the {} attribute does not define supported tokens",
            self.attribute
        )))
    }
}
