//! `?pipe=` of wptserve: functions joined by `|`, arguments in parentheses separated by `,`.
//! Whitespace is kept (`header(A, *)` sets ` *`); inside arguments a backslash escapes the
//! next character (`\n`, `\r`, `\t` are control characters). Supported: `status(code)`,
//! `header(name, value[, append])`, `sub([none|html])`, `slice(start[, end])`,
//! `trickle(spec)`.

#[derive(Clone, Debug, PartialEq)]
pub enum Pipe {
    Header {
        name: String,
        value: String,
        append: bool,
    },
    Status(u16),
    Sub {
        html_escape: bool,
    },
    Slice {
        start: Option<i64>,
        end: Option<i64>,
    },
    /// `N` bytes, `dF` seconds' delay, last `rN` repeats the previous N items.
    Trickle(Vec<TrickleStep>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TrickleStep {
    Send(usize),
    Delay(f64),
    Repeat(usize),
}

/// (name, arguments) of each function, honouring escapes.
fn tokenize(pipe: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut chars = pipe.chars().peekable();
    loop {
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '(' || c == '|' {
                break;
            }
            name.push(c);
            chars.next();
        }
        let mut args = Vec::new();
        if chars.peek() == Some(&'(') {
            chars.next();
            let mut arg = String::new();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some('n') => arg.push('\n'),
                        Some('r') => arg.push('\r'),
                        Some('t') => arg.push('\t'),
                        Some(other) => arg.push(other),
                        None => {}
                    },
                    ',' => args.push(std::mem::take(&mut arg)),
                    ')' => {
                        closed = true;
                        break;
                    }
                    c => arg.push(c),
                }
            }
            if !closed {
                return Err(format!("pipe `{name}`: unclosed `(`"));
            }
            if !arg.is_empty() || !args.is_empty() {
                args.push(arg);
            }
        }
        if !name.is_empty() {
            out.push((name, args));
        }
        match chars.next() {
            Some('|') => continue,
            None => break,
            Some(c) => return Err(format!("unexpected `{c}` in pipe")),
        }
    }
    Ok(out)
}

fn flag(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(format!("not a boolean: {other}")),
    }
}

pub fn parse(pipe: &str) -> Result<Vec<Pipe>, String> {
    let mut out = Vec::new();
    for (name, args) in tokenize(pipe)? {
        let wrong = || format!("pipe {name}: wrong arguments {args:?}");
        out.push(match name.as_str() {
            "header" => match args.as_slice() {
                [n, v] => Pipe::Header {
                    name: n.clone(),
                    value: v.clone(),
                    append: false,
                },
                [n, v, a] => Pipe::Header {
                    name: n.clone(),
                    value: v.clone(),
                    append: flag(a)?,
                },
                _ => return Err(wrong()),
            },
            "status" => match args.as_slice() {
                [code] => Pipe::Status(code.trim().parse().map_err(|_| wrong())?),
                _ => return Err(wrong()),
            },
            "sub" => match args.as_slice() {
                [] => Pipe::Sub { html_escape: true },
                [e] if e.trim() == "html" => Pipe::Sub { html_escape: true },
                [e] if e.trim() == "none" => Pipe::Sub { html_escape: false },
                _ => return Err(wrong()),
            },
            "slice" => {
                let num = |s: &String| -> Result<Option<i64>, String> {
                    match s.trim() {
                        "null" | "" => Ok(None),
                        n => n.parse().map(Some).map_err(|_| wrong()),
                    }
                };
                match args.as_slice() {
                    [a] => Pipe::Slice {
                        start: num(a)?,
                        end: None,
                    },
                    [a, b] => Pipe::Slice {
                        start: num(a)?,
                        end: num(b)?,
                    },
                    _ => return Err(wrong()),
                }
            }
            "trickle" => {
                let [spec] = args.as_slice() else {
                    return Err(wrong());
                };
                // wptserve's rules: `dF` a delay in seconds, `N` bytes, and `rN` (N even)
                // only as the last item.
                let mut steps = Vec::new();
                let items: Vec<&str> = spec.split(':').map(str::trim).collect();
                for (i, item) in items.iter().enumerate() {
                    if let Some(d) = item.strip_prefix('d') {
                        let secs: f64 = d.parse().map_err(|_| wrong())?;
                        if !secs.is_finite() || !(0.0..=600.0).contains(&secs) {
                            return Err(format!("trickle: bad delay `{item}`"));
                        }
                        steps.push(TrickleStep::Delay(secs));
                    } else if let Some(r) = item.strip_prefix('r') {
                        let n: usize = r.parse().map_err(|_| wrong())?;
                        if i + 1 != items.len() || n == 0 || !n.is_multiple_of(2) {
                            return Err(format!("trickle: `{item}` must be last and even"));
                        }
                        steps.push(TrickleStep::Repeat(n));
                    } else {
                        steps.push(TrickleStep::Send(item.parse().map_err(|_| wrong())?));
                    }
                }
                Pipe::Trickle(steps)
            }
            other => return Err(format!("unsupported pipe `{other}`")),
        });
    }
    Ok(out)
}

/// Python slice semantics on a byte length: the (start, end) actually taken.
pub fn slice_bounds(len: usize, start: Option<i64>, end: Option<i64>) -> (usize, usize) {
    let fix = |v: i64| -> usize {
        if v < 0 {
            (len as i64 + v).max(0) as usize
        } else {
            (v as usize).min(len)
        }
    };
    let s = start.map(fix).unwrap_or(0);
    let e = end.map(fix).unwrap_or(len);
    (s, e.max(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes() {
        assert_eq!(
            parse("header(Access-Control-Allow-Origin, *)|status(404)").unwrap(),
            vec![
                Pipe::Header {
                    name: "Access-Control-Allow-Origin".into(),
                    value: " *".into(),
                    append: false
                },
                Pipe::Status(404)
            ]
        );
        assert_eq!(
            parse(r"header(X,a\,b\)c|d,True)|sub").unwrap(),
            vec![
                Pipe::Header {
                    name: "X".into(),
                    value: "a,b)c|d".into(),
                    append: true
                },
                Pipe::Sub { html_escape: true }
            ]
        );
        assert_eq!(
            parse("slice(2,-1)|sub(none)").unwrap(),
            vec![
                Pipe::Slice {
                    start: Some(2),
                    end: Some(-1)
                },
                Pipe::Sub { html_escape: false }
            ]
        );
        assert_eq!(slice_bounds(10, Some(2), Some(-1)), (2, 9));
        assert_eq!(slice_bounds(10, None, Some(100)), (0, 10));
        assert!(parse("gzip()").is_err());
        assert!(parse("status(").is_err());
    }
}
