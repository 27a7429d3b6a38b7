//! wptserve's `{{...}}` substitution in `.sub.` files and with `?pipe=sub`.
//!
//! Supported: `host`, `domains[sub]`, `hosts[host][sub]` (host `""` or `alt`),
//! `ports[scheme][i]`, `location[scheme|host|hostname|port|path|pathname|query|server]`,
//! `GET[name]` (empty when absent), `headers[name]` (an error when absent), `uuid()`,
//! `header_or_default(name, default)`, and `$name:` assignments reused as `{{$name}}`.
//! Values are HTML-escaped when asked (`.sub.html` files, plain `?pipe=sub`).

use crate::config::WptConfig;
use crate::server::{RequestInfo, Scheme};
use std::collections::HashMap;

/// Ports of schemes this server does not serve: tests only build URLs with them.
const WS_PORT: u16 = 8888;
const WSS_PORT: u16 = 8889;

/// Python's `html.escape(quote=True)`.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// Substitutes a text (a `.sub.headers` file).
pub fn substitute(
    text: &str,
    config: &WptConfig,
    info: &RequestInfo,
    escape_html: bool,
) -> Result<String, String> {
    let out = substitute_bytes(text.as_bytes(), config, info, escape_html)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Substitutes a body byte by byte, as wptserve's `{{([^}]*)}}` pattern does: bytes outside
/// the templates are kept as they are (any encoding), and `{{` without a match stays text.
pub fn substitute_bytes(
    text: &[u8],
    config: &WptConfig,
    info: &RequestInfo,
    escape_html: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(b"{{") {
            // The content runs to the first `}`, which must start `}}`.
            let content_start = i + 2;
            if let Some(len) = text[content_start..].iter().position(|&b| b == b'}') {
                let close = content_start + len;
                if text[close..].starts_with(b"}}") {
                    let expr = String::from_utf8_lossy(&text[content_start..close]);
                    let value = evaluate(expr.trim(), config, info, &mut vars)?;
                    if escape_html {
                        out.extend_from_slice(html_escape(&value).as_bytes());
                    } else {
                        out.extend_from_slice(value.as_bytes());
                    }
                    i = close + 2;
                    continue;
                }
            }
        }
        out.push(text[i]);
        i += 1;
    }
    Ok(out)
}

/// `name[a][b]` -> ("name", ["a", "b"]).
fn split_indexes(expr: &str) -> Result<(String, Vec<String>), String> {
    let Some(open) = expr.find('[') else {
        return Ok((expr.to_string(), Vec::new()));
    };
    let name = expr[..open].to_string();
    let mut indexes = Vec::new();
    let mut rest = &expr[open..];
    while let Some(r) = rest.strip_prefix('[') {
        let close = r
            .find(']')
            .ok_or_else(|| format!("unclosed [ in {{{{{expr}}}}}"))?;
        indexes.push(
            r[..close]
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string(),
        );
        rest = &r[close + 1..];
    }
    if !rest.trim().is_empty() {
        return Err(format!("cannot read {{{{{expr}}}}}"));
    }
    Ok((name, indexes))
}

fn evaluate(
    expr: &str,
    config: &WptConfig,
    info: &RequestInfo,
    vars: &mut HashMap<String, String>,
) -> Result<String, String> {
    // `$name:expr` assigns; `$name` reads.
    if let Some(var) = expr.strip_prefix('$') {
        if let Some((name, inner)) = var.split_once(':') {
            let value = evaluate(inner.trim(), config, info, vars)?;
            vars.insert(name.trim().to_string(), value.clone());
            return Ok(value);
        }
        return vars
            .get(var.trim())
            .cloned()
            .ok_or_else(|| format!("{{{{${var}}}}} is not defined"));
    }
    if expr == "uuid()" {
        return Ok(uuid::Uuid::new_v4().to_string());
    }
    if let Some(args) = expr
        .strip_prefix("header_or_default(")
        .and_then(|a| a.strip_suffix(')'))
    {
        let (name, default) = args
            .split_once(',')
            .ok_or("header_or_default(name, default)")?;
        let default = default.trim_start();
        return Ok(info
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(default)
            .to_string());
    }
    let (name, idx) = split_indexes(expr)?;
    let arg = |i: usize| idx.get(i).map(String::as_str).unwrap_or("");
    let bad = || format!("unknown substitution {{{{{expr}}}}}");
    Ok(match name.as_str() {
        "host" => config.browser_host.clone(),
        "domains" => config.domain(arg(0)).ok_or_else(bad)?,
        "hosts" => {
            let host = match arg(0) {
                "" => &config.browser_host,
                "alt" => &config.alt_host,
                _ => return Err(bad()),
            };
            config.host_in(host, arg(1)).ok_or_else(bad)?
        }
        "ports" => {
            let i: usize = arg(1).parse().map_err(|_| bad())?;
            let ports = match arg(0) {
                "http" => config.http_ports.to_vec(),
                "https" => config.https_ports.to_vec(),
                "ws" => vec![WS_PORT],
                "wss" => vec![WSS_PORT],
                _ => return Err(bad()),
            };
            ports.get(i).ok_or_else(bad)?.to_string()
        }
        "location" => {
            let scheme = match info.scheme {
                Scheme::Http => "http",
                Scheme::Https => "https",
            };
            match arg(0) {
                "scheme" => scheme.to_string(),
                "host" => format!("{}:{}", info.host, info.port),
                "hostname" => info.host.clone(),
                "port" => info.port.to_string(),
                // The path as the request had it (not percent-decoded).
                "path" | "pathname" => info.raw_path.clone(),
                "query" => format!("?{}", info.query),
                "server" => format!("{scheme}://{}:{}", info.host, info.port),
                _ => return Err(bad()),
            }
        }
        "GET" => info.param(arg(0)).unwrap_or_default(),
        "headers" => {
            let values: Vec<&str> = info
                .headers
                .get_all(arg(0))
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            if values.is_empty() {
                return Err(format!("{{{{{expr}}}}}: no such request header"));
            }
            values.join(", ")
        }
        _ => return Err(bad()),
    })
}
