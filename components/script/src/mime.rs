//! MIME types (<https://mimesniff.spec.whatwg.org/#understanding-mime-types>): parsing and
//! serializing, for `data:` URLs, Blob types from bodies, and charset lookups.

/// A parsed MIME type: type and subtype in ASCII lowercase, parameters in order (names
/// lowercased, values unquoted, no duplicates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MimeType {
    pub type_: String,
    pub subtype: String,
    pub parameters: Vec<(String, String)>,
}

fn is_http_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' ')
}

/// <https://mimesniff.spec.whatwg.org/#http-token-code-point>
fn is_token(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// <https://mimesniff.spec.whatwg.org/#http-quoted-string-token-code-point>
fn is_quoted_string_token(c: char) -> bool {
    c == '\t' || ('\u{20}'..='\u{7e}').contains(&c) || ('\u{80}'..='\u{ff}').contains(&c)
}

impl MimeType {
    /// <https://mimesniff.spec.whatwg.org/#parse-a-mime-type>; None is failure.
    pub fn parse(input: &str) -> Option<MimeType> {
        // Step 1. Remove leading and trailing HTTP whitespace.
        let input: Vec<char> = input.trim_matches(is_http_whitespace).chars().collect();
        let mut pos = 0;
        // Steps 3-6. The type, up to "/".
        let start = pos;
        while pos < input.len() && input[pos] != '/' {
            pos += 1;
        }
        let type_: String = input[start..pos].iter().collect();
        if type_.is_empty() || !type_.chars().all(is_token) || pos >= input.len() {
            return None;
        }
        pos += 1;
        // Steps 7-9. The subtype, up to ";", trailing whitespace removed.
        let start = pos;
        while pos < input.len() && input[pos] != ';' {
            pos += 1;
        }
        let subtype: String = input[start..pos].iter().collect();
        let subtype = subtype.trim_end_matches(is_http_whitespace).to_string();
        if subtype.is_empty() || !subtype.chars().all(is_token) {
            return None;
        }
        // Step 10.
        let mut mime = MimeType {
            type_: type_.to_ascii_lowercase(),
            subtype: subtype.to_ascii_lowercase(),
            parameters: Vec::new(),
        };
        // Step 11. Parameters.
        while pos < input.len() {
            // Steps 11.1-11.2. Past ";" and HTTP whitespace.
            pos += 1;
            while pos < input.len() && is_http_whitespace(input[pos]) {
                pos += 1;
            }
            // Steps 11.3-11.4. The name, up to ";" or "=", lowercased.
            let start = pos;
            while pos < input.len() && input[pos] != ';' && input[pos] != '=' {
                pos += 1;
            }
            let name: String = input[start..pos]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            // Step 11.5.
            if pos < input.len() {
                if input[pos] == ';' {
                    continue;
                }
                pos += 1;
            }
            // Step 11.6.
            if pos >= input.len() {
                break;
            }
            // Steps 11.8-11.9. A quoted value, or one up to ";" with trailing whitespace
            // removed (empty: skip).
            let value = if input[pos] == '"' {
                let v = collect_quoted_string(&input, &mut pos);
                while pos < input.len() && input[pos] != ';' {
                    pos += 1;
                }
                v
            } else {
                let start = pos;
                while pos < input.len() && input[pos] != ';' {
                    pos += 1;
                }
                let v: String = input[start..pos].iter().collect();
                let v = v.trim_end_matches(is_http_whitespace).to_string();
                if v.is_empty() {
                    continue;
                }
                v
            };
            // Step 11.10. Keep a valid, first-seen parameter.
            if !name.is_empty()
                && name.chars().all(is_token)
                && value.chars().all(is_quoted_string_token)
                && !mime.parameters.iter().any(|(n, _)| *n == name)
            {
                mime.parameters.push((name, value));
            }
        }
        Some(mime)
    }

    /// The essence: "type/subtype".
    pub fn essence(&self) -> String {
        format!("{}/{}", self.type_, self.subtype)
    }

    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// <https://mimesniff.spec.whatwg.org/#serialize-a-mime-type>
    pub fn serialize(&self) -> String {
        let mut s = self.essence();
        for (name, value) in &self.parameters {
            s.push(';');
            s.push_str(name);
            s.push('=');
            if value.is_empty() || !value.chars().all(is_token) {
                s.push('"');
                for c in value.chars() {
                    if c == '"' || c == '\\' {
                        s.push('\\');
                    }
                    s.push(c);
                }
                s.push('"');
            } else {
                s.push_str(value);
            }
        }
        s
    }
}

/// <https://fetch.spec.whatwg.org/#collect-an-http-quoted-string> with extract-value set;
/// `pos` is at the opening quote.
fn collect_quoted_string(input: &[char], pos: &mut usize) -> String {
    let mut value = String::new();
    *pos += 1;
    loop {
        while *pos < input.len() && input[*pos] != '"' && input[*pos] != '\\' {
            value.push(input[*pos]);
            *pos += 1;
        }
        if *pos >= input.len() {
            break;
        }
        let c = input[*pos];
        *pos += 1;
        if c == '\\' {
            if *pos >= input.len() {
                value.push('\\');
                break;
            }
            value.push(input[*pos]);
            *pos += 1;
        } else {
            break;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(s: &str) -> Option<String> {
        MimeType::parse(s).map(|m| m.serialize())
    }

    #[test]
    fn parses_and_serializes() {
        assert_eq!(
            round(" Text/HTML ; Charset=\"UTF-8\" "),
            Some("text/html;charset=UTF-8".into())
        );
        assert_eq!(
            round("text/plain;a=1;a=2;b"),
            Some("text/plain;a=1".into()),
            "first wins; no value skipped"
        );
        assert_eq!(
            round("text/plain;x=\"a;b\\\"c\""),
            Some("text/plain;x=\"a;b\\\"c\"".into())
        );
        assert_eq!(round("text/plain;x=\"\""), Some("text/plain;x=\"\"".into()));
        assert_eq!(
            round("text/plain;x= y"),
            Some("text/plain;x=\" y\"".into()),
            "leading space kept and quoted"
        );
        assert_eq!(
            round("text/plain;bad name=1;ok=2"),
            Some("text/plain;ok=2".into())
        );
        assert_eq!(
            round("text/plain;x=\"unterminated"),
            Some("text/plain;x=unterminated".into())
        );
        assert_eq!(round("text/"), None);
        assert_eq!(round("/plain"), None);
        assert_eq!(round("text"), None);
        assert_eq!(round("te xt/plain"), None);
        assert_eq!(round(""), None);
        assert_eq!(
            MimeType::parse("a/b;charset=latin1")
                .unwrap()
                .parameter("charset"),
            Some("latin1")
        );
    }
}
