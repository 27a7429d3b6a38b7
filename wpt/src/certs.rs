//! A test certificate authority and a host certificate for every WPT host name, made when
//! the server starts. The engine under test trusts the CA; nothing is installed system-wide.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct ServerCerts {
    /// The CA certificate (DER) for the client's trust store.
    pub ca_der: Vec<u8>,
    /// The host certificate chain and its key, for the server.
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

pub fn generate(hosts: &[String]) -> Result<ServerCerts, String> {
    let err = |e: rcgen::Error| format!("cannot make the test certificates: {e}");
    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "bgfetch WPT test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).map_err(err)?;

    let mut names: Vec<String> = hosts.to_vec();
    names.push("localhost".into());
    let mut leaf = CertificateParams::new(names).map_err(err)?;
    leaf.subject_alt_names
        .push(rcgen::SanType::IpAddress(std::net::IpAddr::V4(
            std::net::Ipv4Addr::LOCALHOST,
        )));
    leaf.distinguished_name
        .push(DnType::CommonName, "web-platform.test");
    let leaf_key = KeyPair::generate().map_err(err)?;
    let issuer = rcgen::Issuer::from_params(&ca, &ca_key);
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).map_err(err)?;

    Ok(ServerCerts {
        ca_der: ca_cert.der().to_vec(),
        chain: vec![leaf_cert.der().clone(), ca_cert.der().clone()],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    })
}
