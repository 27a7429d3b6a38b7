//! Reading `.webidl` files with weedle.
//!
//! weedle 0.13 has three habits this module contains:
//! - it cannot read extended attributes with numeric values (`[ReflectDefault=1]`,
//!   `[ReflectRange=(0, 8)]`); a pre-pass lifts every extended-attribute list weedle cannot read,
//!   parses it here, and leaves a same-length placeholder so offsets stay exact;
//! - `weedle::parse` panics on trailing input, and some junk panics deep inside it; definitions
//!   are parsed one at a time under `catch_unwind`, so every failure becomes `file:line:col`;
//! - its AST has no positions; definitions get theirs from the incremental parse, members from
//!   a forward search for their name inside the definition.

use crate::model::*;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use weedle::Parse;

/// A located problem in a WebIDL source.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
    /// The source text at the location (one line, trimmed).
    pub excerpt: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if !self.excerpt.is_empty() {
            write!(f, "\n    {}", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// One `.webidl` file: its original text and what weedle is given.
pub struct SourceFile {
    pub name: String,
    pub text: String,
    parse_text: String,
    line_starts: Vec<usize>,
    lifted: HashMap<String, ExtAttrs>,
}

/// The placeholder prefix of lifted extended-attribute lists (`[Zz0 ]`).
const LIFT_PREFIX: &str = "Zz";

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Result<SourceFile, Diagnostic> {
        let text = text.into();
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        let mut file = SourceFile {
            name: name.into(),
            parse_text: text.clone(),
            text,
            line_starts,
            lifted: HashMap::new(),
        };
        file.lift_extended_attributes()?;
        Ok(file)
    }

    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        Location {
            file: self.name.clone(),
            line: line + 1,
            col,
        }
    }

    pub fn diagnostic(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let location = self.location(offset);
        let start = self.line_starts[location.line - 1];
        let end = self.text[start..]
            .find('\n')
            .map(|e| start + e)
            .unwrap_or(self.text.len());
        Diagnostic {
            location,
            message: message.into(),
            excerpt: self.text[start..end].trim().to_string(),
        }
    }

    /// The pre-pass: find every `[...]` extended-attribute list outside comments and strings;
    /// where weedle cannot read one, parse it here and replace it by a placeholder of the same
    /// length.
    fn lift_extended_attributes(&mut self) -> Result<(), Diagnostic> {
        let bytes = self.text.as_bytes();
        let mut i = 0;
        let mut replacements = Vec::new();
        while i < bytes.len() {
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = skip_line_comment(bytes, i);
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = skip_block_comment(bytes, i);
                }
                b'"' => i = skip_string(bytes, i),
                b'[' => {
                    let end = match matching_bracket(bytes, i) {
                        Some(end) => end,
                        None => return Err(self.diagnostic(i, "unclosed `[`")),
                    };
                    let list = &self.text[i..=end];
                    if !weedle_reads_ext_attrs(list) {
                        let attrs = parse_ext_attr_list(list)
                            .map_err(|(off, msg)| self.diagnostic(i + off, msg))?;
                        let id = format!("{LIFT_PREFIX}{}", base36(replacements.len()));
                        let placeholder_len = id.len() + 2;
                        if placeholder_len > list.len() {
                            return Err(self.diagnostic(i, "unreadable extended attribute list"));
                        }
                        let mut placeholder = format!("[{id}");
                        placeholder.push_str(&" ".repeat(list.len() - placeholder_len));
                        placeholder.push(']');
                        replacements.push((i, end + 1, placeholder));
                        self.lifted.insert(id, attrs);
                    }
                    i = end + 1;
                }
                _ => i += 1,
            }
        }
        for (start, end, placeholder) in replacements {
            self.parse_text.replace_range(start..end, &placeholder);
        }
        Ok(())
    }
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn skip_line_comment(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < bytes.len() && bytes[j] != b'\n' {
        j += 1;
    }
    j
}

fn skip_block_comment(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 2;
    while j + 1 < bytes.len() && !(bytes[j] == b'*' && bytes[j + 1] == b'/') {
        j += 1;
    }
    (j + 2).min(bytes.len())
}

fn skip_string(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < bytes.len() && bytes[j] != b'"' {
        j += 1;
    }
    (j + 1).min(bytes.len())
}

fn matching_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = skip_line_comment(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

thread_local! {
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` catching panics, without printing them (weedle's panics are parse errors to us).
fn quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(|q| q.get()) {
                previous(info)
            }
        }));
    });
    QUIET_PANICS.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(false));
    result.map_err(|e| {
        e.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "weedle panicked".to_string())
    })
}

fn weedle_reads_ext_attrs(list: &str) -> bool {
    matches!(
        quietly(|| weedle::attribute::ExtendedAttributeList::parse(list)),
        Ok(Ok((rest, _))) if rest.trim().is_empty()
    )
}

/// Our own reader for extended-attribute lists weedle cannot read. Grammar:
/// `[` attr (`,` attr)* `]`, attr = ident (`=` rhs)? (`(` raw `)`)?,
/// rhs = ident | string | number | `*` | `(` item (`,` item)* `)`.
/// Errors carry a byte offset into `list`.
pub fn parse_ext_attr_list(list: &str) -> Result<ExtAttrs, (usize, String)> {
    let mut p = AttrLexer { s: list, i: 0 };
    p.expect('[')?;
    let mut attrs = Vec::new();
    loop {
        p.ws();
        if p.eat(']') {
            break;
        }
        let name = p
            .ident()
            .ok_or_else(|| (p.i, "expected an extended attribute name".to_string()))?;
        p.ws();
        let mut value = ExtAttrValue::None;
        if p.eat('=') {
            p.ws();
            if p.eat('*') {
                value = ExtAttrValue::Wildcard;
            } else if p.eat('(') {
                let mut items = Vec::new();
                loop {
                    p.ws();
                    if p.eat(')') {
                        break;
                    }
                    items.push(p.item()?);
                    p.ws();
                    if !p.eat(',') {
                        p.ws();
                        p.expect(')')?;
                        break;
                    }
                }
                value = ExtAttrValue::List(items);
            } else {
                value = p.scalar()?;
            }
        }
        p.ws();
        if p.peek() == Some('(') {
            let start = p.i;
            let end = matching_paren(list, start)
                .ok_or_else(|| (start, "unclosed `(` in extended attribute".to_string()))?;
            let raw = list[start + 1..end].to_string();
            p.i = end + 1;
            let name_rhs = match value {
                ExtAttrValue::Ident(s) => Some(s),
                _ => None,
            };
            value = ExtAttrValue::ArgList {
                name: name_rhs,
                raw,
            };
        }
        attrs.push(ExtAttr { name, value });
        p.ws();
        if p.eat(',') {
            continue;
        }
        p.ws();
        p.expect(']')?;
        break;
    }
    p.ws();
    if p.i != list.len() {
        return Err((p.i, "unexpected text after `]`".to_string()));
    }
    Ok(ExtAttrs(attrs))
}

fn matching_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

struct AttrLexer<'a> {
    s: &'a str,
    i: usize,
}

impl AttrLexer<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }
    fn ws(&mut self) {
        loop {
            let rest = &self.s[self.i..];
            if rest.starts_with("//") {
                self.i += rest.find('\n').unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                self.i += rest.find("*/").map(|e| e + 2).unwrap_or(rest.len());
            } else if let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
                self.i += c.len_utf8();
            } else {
                break;
            }
        }
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: char) -> Result<(), (usize, String)> {
        if self.eat(c) {
            Ok(())
        } else {
            Err((self.i, format!("expected `{c}`")))
        }
    }
    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &str {
        let start = self.i;
        while let Some(c) = self.peek().filter(|c| f(*c)) {
            self.i += c.len_utf8();
        }
        &self.s[start..self.i]
    }
    fn ident(&mut self) -> Option<String> {
        let c = self.peek()?;
        if !(c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        let id = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        Some(id.trim_start_matches('_').to_string())
    }
    fn scalar(&mut self) -> Result<ExtAttrValue, (usize, String)> {
        match self.peek() {
            Some('"') => {
                let start = self.i;
                let end = self.s[start + 1..]
                    .find('"')
                    .ok_or((start, "unclosed string".to_string()))?;
                self.i = start + 1 + end + 1;
                Ok(ExtAttrValue::String(
                    self.s[start + 1..start + 1 + end].to_string(),
                ))
            }
            Some(c) if c.is_ascii_digit() || c == '-' || c == '.' => {
                let num = self
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'))
                    .to_string();
                if num.contains('.') || (num.contains(['e', 'E']) && !num.starts_with("0x")) {
                    Ok(ExtAttrValue::Float(num))
                } else {
                    Ok(ExtAttrValue::Integer(num))
                }
            }
            _ => self
                .ident()
                .map(ExtAttrValue::Ident)
                .ok_or((self.i, "expected a value after `=`".to_string())),
        }
    }
    fn item(&mut self) -> Result<String, (usize, String)> {
        Ok(match self.scalar()? {
            ExtAttrValue::Ident(s)
            | ExtAttrValue::String(s)
            | ExtAttrValue::Integer(s)
            | ExtAttrValue::Float(s) => s,
            _ => return Err((self.i, "expected a list item".to_string())),
        })
    }
}

/// Definitions of one file before merging, with their byte spans.
#[derive(Debug)]
pub enum RawDefinition {
    Interface { def: Interface, partial: bool },
    Dictionary { def: Dictionary, partial: bool },
    Enum(Enum),
    Callback(Callback),
    Typedef(Typedef),
    Includes(Includes),
}

impl RawDefinition {
    pub fn name(&self) -> &str {
        match self {
            RawDefinition::Interface { def, .. } => &def.name,
            RawDefinition::Dictionary { def, .. } => &def.name,
            RawDefinition::Enum(e) => &e.name,
            RawDefinition::Callback(c) => &c.name,
            RawDefinition::Typedef(t) => &t.name,
            RawDefinition::Includes(i) => &i.target,
        }
    }
}

pub struct ParsedFile {
    pub source: SourceFile,
    /// Each definition with its byte span in the file.
    pub definitions: Vec<(RawDefinition, std::ops::Range<usize>)>,
}

impl ParsedFile {
    /// Where `name` first occurs as a whole word inside `span` (for messages about names).
    pub fn find_word(&self, span: &std::ops::Range<usize>, name: &str) -> Location {
        let text = &self.source.text[span.clone()];
        self.source
            .location(span.start + find_word(text, name, 0).unwrap_or(0))
    }
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Byte offset of `word` in `text` at or after `from`, as a whole identifier, outside comments.
fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/') {
            i = skip_line_comment(bytes, i);
            continue;
        }
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = skip_block_comment(bytes, i);
            continue;
        }
        // Bytes, not `text[i..]`: `i` may be inside a non-ASCII character of a string.
        if bytes[i..].starts_with(word.as_bytes())
            && (i == 0 || !is_ident_char(bytes[i - 1]))
            && !bytes
                .get(i + word.len())
                .copied()
                .is_some_and(is_ident_char)
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Length of leading whitespace and comments.
fn skip_trivia(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes[i..].starts_with(b"//") {
            i = skip_line_comment(bytes, i);
        } else if bytes[i..].starts_with(b"/*") {
            if !s[i + 2..].contains("*/") {
                return i;
            }
            i = skip_block_comment(bytes, i);
        } else {
            return i;
        }
    }
}

/// Parses one file into raw definitions. Every failure names `file:line:col`.
pub fn parse_file(source: SourceFile) -> Result<ParsedFile, Diagnostic> {
    let mut definitions = Vec::new();
    let text = source.parse_text.clone();
    let mut offset = 0;
    loop {
        offset += skip_trivia(&text[offset..]);
        if offset >= text.len() {
            break;
        }
        let rest = &text[offset..];
        let parsed = quietly(|| weedle::Definition::parse(rest));
        match parsed {
            Ok(Ok((remaining, def))) => {
                let end = text.len() - remaining.len();
                let span = offset..end;
                let mut conv = Converter {
                    file: &source,
                    span: span.clone(),
                    cursor: offset,
                };
                let raw = conv.definition(&def)?;
                definitions.push((raw, span));
                offset = end;
            }
            Ok(Err(err)) => {
                let at = match &err {
                    weedle::Err::Error((input, _)) | weedle::Err::Failure((input, _)) => {
                        text.len() - input.len()
                    }
                    weedle::Err::Incomplete(_) => text.len(),
                };
                let at = if at > offset { at } else { offset };
                let at = at + skip_trivia(&text[at..]);
                let message = if at == offset {
                    let word: String = text[offset..]
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .take(24)
                        .collect();
                    format!("expected a definition, found `{word}`")
                } else {
                    "syntax error in this definition".to_string()
                };
                return Err(source.diagnostic(at.min(text.len()), message));
            }
            Err(panic) => {
                return Err(source.diagnostic(
                    offset,
                    format!("cannot parse this definition (weedle: {panic})"),
                ));
            }
        }
    }
    Ok(ParsedFile {
        source,
        definitions,
    })
}

/// Turns weedle's AST into model types, finding member positions as it goes.
struct Converter<'f> {
    file: &'f SourceFile,
    span: std::ops::Range<usize>,
    cursor: usize,
}

type W<'a> = weedle::attribute::ExtendedAttributeList<'a>;

impl Converter<'_> {
    fn loc_of(&mut self, name: &str) -> Location {
        let text = &self.file.text[..self.span.end];
        match find_word(text, name, self.cursor) {
            Some(at) => {
                self.cursor = at + name.len();
                self.file.location(at)
            }
            None => self.file.location(self.cursor),
        }
    }

    fn ext_attrs(&self, list: &Option<W<'_>>) -> ExtAttrs {
        let mut out = Vec::new();
        let Some(list) = list else {
            return ExtAttrs(out);
        };
        for attr in &list.body.list {
            use weedle::attribute::ExtendedAttribute as E;
            match attr {
                E::NoArgs(a) => {
                    let name = a.0 .0;
                    if let Some(lifted) = self.file.lifted.get(name) {
                        out.extend(lifted.0.iter().cloned());
                    } else {
                        out.push(ExtAttr {
                            name: name.to_string(),
                            value: ExtAttrValue::None,
                        });
                    }
                }
                E::Ident(a) => out.push(ExtAttr {
                    name: a.lhs_identifier.0.to_string(),
                    value: match a.rhs {
                        weedle::attribute::IdentifierOrString::Identifier(i) => {
                            ExtAttrValue::Ident(i.0.to_string())
                        }
                        weedle::attribute::IdentifierOrString::String(s) => {
                            ExtAttrValue::String(s.0.to_string())
                        }
                    },
                }),
                E::IdentList(a) => out.push(ExtAttr {
                    name: a.identifier.0.to_string(),
                    value: ExtAttrValue::List(
                        a.list.body.list.iter().map(|i| i.0.to_string()).collect(),
                    ),
                }),
                E::Wildcard(a) => out.push(ExtAttr {
                    name: a.lhs_identifier.0.to_string(),
                    value: ExtAttrValue::Wildcard,
                }),
                E::ArgList(a) => out.push(ExtAttr {
                    name: a.identifier.0.to_string(),
                    value: ExtAttrValue::ArgList {
                        name: None,
                        raw: String::new(),
                    },
                }),
                E::NamedArgList(a) => out.push(ExtAttr {
                    name: a.lhs_identifier.0.to_string(),
                    value: ExtAttrValue::ArgList {
                        name: Some(a.rhs_identifier.0.to_string()),
                        raw: String::new(),
                    },
                }),
            }
        }
        ExtAttrs(out)
    }

    fn definition(&mut self, def: &weedle::Definition<'_>) -> Result<RawDefinition, Diagnostic> {
        use weedle::Definition as D;
        let start = self.file.location(self.span.start);
        Ok(match def {
            D::Callback(c) => {
                let location = self.loc_of(c.identifier.0);
                RawDefinition::Callback(Callback {
                    name: c.identifier.0.to_string(),
                    ret: self.return_type(&c.return_type),
                    args: self.arguments(&c.arguments.body.list),
                    ext_attrs: self.ext_attrs(&c.attributes),
                    location,
                })
            }
            D::CallbackInterface(c) => self.interface_def(
                c.identifier.0,
                InterfaceKind::CallbackInterface,
                c.inheritance.map(|i| i.identifier.0.to_string()),
                &c.attributes,
                false,
                |conv| conv.interface_members(&c.members.body),
            )?,
            D::Interface(i) => self.interface_def(
                i.identifier.0,
                InterfaceKind::Interface,
                i.inheritance.map(|i| i.identifier.0.to_string()),
                &i.attributes,
                false,
                |conv| conv.interface_members(&i.members.body),
            )?,
            D::PartialInterface(i) => self.interface_def(
                i.identifier.0,
                InterfaceKind::Interface,
                None,
                &i.attributes,
                true,
                |conv| conv.interface_members(&i.members.body),
            )?,
            D::InterfaceMixin(m) => self.interface_def(
                m.identifier.0,
                InterfaceKind::Mixin,
                None,
                &m.attributes,
                false,
                |conv| Ok((conv.mixin_members(&m.members.body), vec![])),
            )?,
            D::PartialInterfaceMixin(m) => self.interface_def(
                m.identifier.0,
                InterfaceKind::Mixin,
                None,
                &m.attributes,
                true,
                |conv| Ok((conv.mixin_members(&m.members.body), vec![])),
            )?,
            D::Namespace(n) => self.interface_def(
                n.identifier.0,
                InterfaceKind::Namespace,
                None,
                &n.attributes,
                false,
                |conv| Ok((conv.namespace_members(&n.members.body), vec![])),
            )?,
            D::PartialNamespace(n) => self.interface_def(
                n.identifier.0,
                InterfaceKind::Namespace,
                None,
                &n.attributes,
                true,
                |conv| Ok((conv.namespace_members(&n.members.body), vec![])),
            )?,
            D::Dictionary(d) => self.dictionary_def(
                d.identifier.0,
                d.inheritance.map(|i| i.identifier.0.to_string()),
                &d.members.body,
                &d.attributes,
                false,
            ),
            D::PartialDictionary(d) => {
                self.dictionary_def(d.identifier.0, None, &d.members.body, &d.attributes, true)
            }
            D::Enum(e) => {
                let location = self.loc_of(e.identifier.0);
                RawDefinition::Enum(Enum {
                    name: e.identifier.0.to_string(),
                    values: e.values.body.list.iter().map(|v| v.0.to_string()).collect(),
                    location,
                })
            }
            D::Typedef(t) => {
                let ty = self.attributed_type(&t.type_);
                let location = self.loc_of(t.identifier.0);
                RawDefinition::Typedef(Typedef {
                    name: t.identifier.0.to_string(),
                    ty,
                    location,
                })
            }
            D::IncludesStatement(i) => RawDefinition::Includes(Includes {
                target: i.lhs_identifier.0.to_string(),
                mixin: i.rhs_identifier.0.to_string(),
                location: start,
            }),
            D::Implements(_) => {
                return Err(self.file.diagnostic(
                    self.span.start,
                    "`implements` statements are obsolete WebIDL; use `includes`",
                ))
            }
        })
    }

    /// A dictionary, partial (no parent) or not.
    fn dictionary_def(
        &mut self,
        name: &str,
        parent: Option<String>,
        members: &[weedle::dictionary::DictionaryMember<'_>],
        attrs: &Option<W<'_>>,
        partial: bool,
    ) -> RawDefinition {
        let location = self.loc_of(name);
        RawDefinition::Dictionary {
            def: Dictionary {
                name: name.to_string(),
                parent,
                members: self.dictionary_members(members),
                ext_attrs: self.ext_attrs(attrs),
                location,
            },
            partial,
        }
    }

    /// An interface, callback interface, mixin or namespace (partial or not). The name is
    /// located before the members, so positions move forward through the text.
    #[allow(clippy::type_complexity)]
    fn interface_def(
        &mut self,
        name: &str,
        kind: InterfaceKind,
        parent: Option<String>,
        attrs: &Option<W<'_>>,
        partial: bool,
        members: impl FnOnce(&mut Self) -> Result<(Vec<Member>, Vec<Operation>), Diagnostic>,
    ) -> Result<RawDefinition, Diagnostic> {
        let location = self.loc_of(name);
        let (members, mut constructors) = members(self)?;
        // [LegacyFactoryFunction=Name(args)]: kept with the constructors (marked with the
        // extended attribute), so that its argument types resolve with theirs.
        if let Some(list) = attrs {
            for attr in &list.body.list {
                if let weedle::attribute::ExtendedAttribute::NamedArgList(a) = attr {
                    if a.lhs_identifier.0 == "LegacyFactoryFunction" {
                        let args = self.arguments(&a.args.body.list);
                        constructors.push(Operation {
                            name: Some(a.rhs_identifier.0.to_string()),
                            args,
                            ret: Type::new(TypeKind::Undefined),
                            is_static: false,
                            special: None,
                            stringifier: false,
                            // The marker that tells it from a constructor operation.
                            ext_attrs: ExtAttrs(vec![ExtAttr {
                                name: "LegacyFactoryFunction".into(),
                                value: ExtAttrValue::None,
                            }]),
                            exposure: Exposure::Inherit,
                            location: location.clone(),
                        });
                    }
                }
            }
        }
        Ok(RawDefinition::Interface {
            def: Interface {
                name: name.to_string(),
                kind,
                parent,
                ext_attrs: self.ext_attrs(attrs),
                constructors,
                members,
                exposure: Exposure::Inherit,
                location,
            },
            partial,
        })
    }

    #[allow(clippy::type_complexity)]
    fn interface_members(
        &mut self,
        members: &[weedle::interface::InterfaceMember<'_>],
    ) -> Result<(Vec<Member>, Vec<Operation>), Diagnostic> {
        use weedle::interface::InterfaceMember as M;
        let mut out = Vec::new();
        let mut ctors = Vec::new();
        for m in members {
            match m {
                M::Const(c) => out.push(self.const_member(
                    &c.attributes,
                    &c.const_type,
                    c.identifier.0,
                    &c.const_value,
                )),
                M::Attribute(a) => {
                    use weedle::interface::StringifierOrInheritOrStatic as S;
                    out.push(self.attribute(
                        &a.attributes,
                        &a.type_,
                        a.identifier.0,
                        a.readonly.is_some(),
                        matches!(a.modifier, Some(S::Static(_))),
                        matches!(a.modifier, Some(S::Stringifier(_))),
                        matches!(a.modifier, Some(S::Inherit(_))),
                    ))
                }
                M::Constructor(c) => ctors.push(self.constructor(c)),
                M::Operation(o) => {
                    use weedle::interface::{Special as WS, StringifierOrStatic as S};
                    let special = o.special.map(|s| match s {
                        WS::Getter(_) => Special::Getter,
                        WS::Setter(_) => Special::Setter,
                        WS::Deleter(_) => Special::Deleter,
                        WS::LegacyCaller(_) => Special::LegacyCaller,
                    });
                    out.push(self.operation(
                        &o.attributes,
                        o.identifier.map(|i| i.0),
                        &o.args.body.list,
                        &o.return_type,
                        matches!(o.modifier, Some(S::Static(_))),
                        special,
                        matches!(o.modifier, Some(S::Stringifier(_))),
                    ))
                }
                M::Iterable(it) => out.push(Member::Iterable(self.iterable(it))),
                M::AsyncIterable(it) => out.push(Member::Iterable(self.async_iterable(it))),
                M::Maplike(m) => {
                    let location = self.loc_of("maplike");
                    out.push(Member::Maplike {
                        key: self.attributed_type(&m.generics.body.0),
                        value: self.attributed_type(&m.generics.body.2),
                        readonly: m.readonly.is_some(),
                        location,
                    })
                }
                M::Setlike(s) => {
                    let location = self.loc_of("setlike");
                    out.push(Member::Setlike {
                        value: self.attributed_type(&s.generics.body),
                        readonly: s.readonly.is_some(),
                        location,
                    })
                }
                M::Stringifier(_) => {
                    let location = self.loc_of("stringifier");
                    out.push(Member::Stringifier { location })
                }
            }
        }
        Ok((out, ctors))
    }

    /// `constructor(...)`: an operation without a name of its own.
    fn constructor(&mut self, c: &weedle::interface::ConstructorInterfaceMember<'_>) -> Operation {
        let location = self.loc_of("constructor");
        Operation {
            name: Some("constructor".to_string()),
            args: self.arguments(&c.args.body.list),
            ret: Type::new(TypeKind::Undefined),
            is_static: false,
            special: None,
            stringifier: false,
            ext_attrs: self.ext_attrs(&c.attributes),
            exposure: Exposure::Inherit,
            location,
        }
    }

    /// `iterable<V>` or `iterable<K, V>`.
    fn iterable(&mut self, it: &weedle::interface::IterableInterfaceMember<'_>) -> Iterable {
        use weedle::interface::IterableInterfaceMember as I;
        let location = self.loc_of("iterable");
        match it {
            I::Single(s) => Iterable {
                key: None,
                value: self.attributed_type(&s.generics.body),
                is_async: false,
                args: vec![],
                location,
            },
            I::Double(d) => Iterable {
                key: Some(self.attributed_type(&d.generics.body.0)),
                value: self.attributed_type(&d.generics.body.2),
                is_async: false,
                args: vec![],
                location,
            },
        }
    }

    /// `async iterable<...>(...)`.
    fn async_iterable(
        &mut self,
        it: &weedle::interface::AsyncIterableInterfaceMember<'_>,
    ) -> Iterable {
        use weedle::interface::AsyncIterableInterfaceMember as I;
        let location = self.loc_of("async");
        match it {
            I::Single(s) => Iterable {
                key: None,
                value: self.attributed_type(&s.generics.body),
                is_async: true,
                args: s
                    .args
                    .as_ref()
                    .map(|a| self.arguments(&a.body.list))
                    .unwrap_or_default(),
                location,
            },
            I::Double(d) => Iterable {
                key: Some(self.attributed_type(&d.generics.body.0)),
                value: self.attributed_type(&d.generics.body.2),
                is_async: true,
                args: d
                    .args
                    .as_ref()
                    .map(|a| self.arguments(&a.body.list))
                    .unwrap_or_default(),
                location,
            },
        }
    }

    fn mixin_members(&mut self, members: &[weedle::mixin::MixinMember<'_>]) -> Vec<Member> {
        use weedle::mixin::MixinMember as M;
        let mut out = Vec::new();
        for m in members {
            match m {
                M::Const(c) => out.push(self.const_member(
                    &c.attributes,
                    &c.const_type,
                    c.identifier.0,
                    &c.const_value,
                )),
                M::Operation(o) => out.push(self.operation(
                    &o.attributes,
                    o.identifier.map(|i| i.0),
                    &o.args.body.list,
                    &o.return_type,
                    false,
                    None,
                    o.stringifier.is_some(),
                )),
                M::Attribute(a) => out.push(self.attribute(
                    &a.attributes,
                    &a.type_,
                    a.identifier.0,
                    a.readonly.is_some(),
                    false,
                    a.stringifier.is_some(),
                    false,
                )),
                M::Stringifier(_) => {
                    let location = self.loc_of("stringifier");
                    out.push(Member::Stringifier { location })
                }
            }
        }
        out
    }

    fn namespace_members(
        &mut self,
        members: &[weedle::namespace::NamespaceMember<'_>],
    ) -> Vec<Member> {
        use weedle::namespace::NamespaceMember as M;
        let mut out = Vec::new();
        for m in members {
            match m {
                M::Const(c) => out.push(self.const_member(
                    &c.attributes,
                    &c.const_type,
                    c.identifier.0,
                    &c.const_value,
                )),
                M::Operation(o) => out.push(self.operation(
                    &o.attributes,
                    o.identifier.map(|i| i.0),
                    &o.args.body.list,
                    &o.return_type,
                    true,
                    None,
                    false,
                )),
                M::Attribute(a) => out.push(self.attribute(
                    &a.attributes,
                    &a.type_,
                    a.identifier.0,
                    true,
                    true,
                    false,
                    false,
                )),
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn attribute(
        &mut self,
        attrs: &Option<W<'_>>,
        ty: &weedle::types::AttributedType<'_>,
        name: &str,
        readonly: bool,
        is_static: bool,
        stringifier: bool,
        inherit: bool,
    ) -> Member {
        let ty = self.attributed_type(ty);
        let location = self.loc_of(name);
        Member::Attribute(Attribute {
            name: name.to_string(),
            ty,
            readonly,
            is_static,
            stringifier,
            inherit,
            ext_attrs: self.ext_attrs(attrs),
            exposure: Exposure::Inherit,
            location,
        })
    }

    /// An operation; anonymous ones are located at their special keyword.
    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        attrs: &Option<W<'_>>,
        name: Option<&str>,
        args: &[weedle::argument::Argument<'_>],
        ret: &weedle::types::ReturnType<'_>,
        is_static: bool,
        special: Option<Special>,
        stringifier: bool,
    ) -> Member {
        let location = match (name, special) {
            (Some(n), _) => self.loc_of(n),
            (None, Some(Special::Getter)) => self.loc_of("getter"),
            (None, Some(Special::Setter)) => self.loc_of("setter"),
            (None, Some(Special::Deleter)) => self.loc_of("deleter"),
            (None, Some(Special::LegacyCaller)) => self.loc_of("legacycaller"),
            (None, None) => self.loc_of("stringifier"),
        };
        Member::Operation(Operation {
            name: name.map(str::to_string),
            args: self.arguments(args),
            ret: self.return_type(ret),
            is_static,
            special,
            stringifier,
            ext_attrs: self.ext_attrs(attrs),
            exposure: Exposure::Inherit,
            location,
        })
    }

    fn dictionary_members(
        &mut self,
        members: &[weedle::dictionary::DictionaryMember<'_>],
    ) -> Vec<DictionaryMember> {
        members
            .iter()
            .map(|m| {
                let ext_attrs = self.ext_attrs(&m.attributes);
                let mut ty = self.ty(&m.type_);
                apply_type_attrs(&mut ty, &ext_attrs);
                let location = self.loc_of(m.identifier.0);
                DictionaryMember {
                    name: m.identifier.0.to_string(),
                    ty,
                    required: m.required.is_some(),
                    default: m.default.map(|d| default_value(&d.value)),
                    ext_attrs,
                    location,
                }
            })
            .collect()
    }

    fn const_member(
        &mut self,
        attrs: &Option<W<'_>>,
        ty: &weedle::types::ConstType<'_>,
        name: &str,
        value: &weedle::literal::ConstValue<'_>,
    ) -> Member {
        use weedle::literal::ConstValue as C;
        use weedle::types::ConstType as T;
        let ty = match ty {
            T::Integer(i) => {
                Type::new(TypeKind::Integer(integer_type(&i.type_))).nullable(i.q_mark.is_some())
            }
            T::FloatingPoint(f) => {
                Type::new(TypeKind::Float(float_type(&f.type_))).nullable(f.q_mark.is_some())
            }
            T::Boolean(b) => Type::new(TypeKind::Boolean).nullable(b.q_mark.is_some()),
            T::Byte(b) => {
                Type::new(TypeKind::Integer(IntegerType::Byte)).nullable(b.q_mark.is_some())
            }
            T::Octet(b) => {
                Type::new(TypeKind::Integer(IntegerType::Octet)).nullable(b.q_mark.is_some())
            }
            T::Identifier(i) => {
                Type::new(TypeKind::Named(i.type_.0.to_string())).nullable(i.q_mark.is_some())
            }
        };
        let value = match value {
            C::Boolean(b) => ConstValue::Boolean(b.0),
            C::Float(f) => ConstValue::Float(float_lit(f)),
            C::Integer(i) => ConstValue::Integer(integer_lit(i)),
            C::Null(_) => ConstValue::Null,
        };
        let location = self.loc_of(name);
        Member::Const(Const {
            name: name.to_string(),
            ty,
            value,
            ext_attrs: self.ext_attrs(attrs),
            exposure: Exposure::Inherit,
            location,
        })
    }

    fn arguments(&mut self, args: &[weedle::argument::Argument<'_>]) -> Vec<Argument> {
        use weedle::argument::Argument as A;
        args.iter()
            .map(|a| match a {
                A::Single(s) => {
                    let ext_attrs = self.ext_attrs(&s.attributes);
                    let mut ty = self.attributed_type(&s.type_);
                    apply_type_attrs(&mut ty, &ext_attrs);
                    Argument {
                        name: s.identifier.0.to_string(),
                        ty,
                        optional: s.optional.is_some(),
                        variadic: false,
                        default: s.default.map(|d| default_value(&d.value)),
                        ext_attrs,
                    }
                }
                A::Variadic(v) => {
                    let ext_attrs = self.ext_attrs(&v.attributes);
                    let mut ty = self.ty(&v.type_);
                    apply_type_attrs(&mut ty, &ext_attrs);
                    Argument {
                        name: v.identifier.0.to_string(),
                        ty,
                        optional: true,
                        variadic: true,
                        default: None,
                        ext_attrs,
                    }
                }
            })
            .collect()
    }

    fn return_type(&self, r: &weedle::types::ReturnType<'_>) -> Type {
        match r {
            weedle::types::ReturnType::Undefined(_) => Type::new(TypeKind::Undefined),
            weedle::types::ReturnType::Type(t) => self.ty(t),
        }
    }

    fn attributed_type(&self, t: &weedle::types::AttributedType<'_>) -> Type {
        let mut ty = self.ty(&t.type_);
        apply_type_attrs(&mut ty, &self.ext_attrs(&t.attributes));
        ty
    }

    fn ty(&self, t: &weedle::types::Type<'_>) -> Type {
        match t {
            weedle::types::Type::Single(weedle::types::SingleType::Any(_)) => {
                Type::new(TypeKind::Any)
            }
            weedle::types::Type::Single(weedle::types::SingleType::NonAny(n)) => self.non_any(n),
            weedle::types::Type::Union(u) => {
                Type::new(TypeKind::Union(self.union_members(&u.type_)))
                    .nullable(u.q_mark.is_some())
            }
        }
    }

    fn union_members(&self, u: &weedle::types::UnionType<'_>) -> Vec<Type> {
        u.body
            .list
            .iter()
            .map(|m| match m {
                weedle::types::UnionMemberType::Single(s) => {
                    let mut ty = self.non_any(&s.type_);
                    apply_type_attrs(&mut ty, &self.ext_attrs(&s.attributes));
                    ty
                }
                weedle::types::UnionMemberType::Union(u) => {
                    Type::new(TypeKind::Union(self.union_members(&u.type_)))
                        .nullable(u.q_mark.is_some())
                }
            })
            .collect()
    }

    fn non_any(&self, n: &weedle::types::NonAnyType<'_>) -> Type {
        use weedle::types::NonAnyType as N;
        macro_rules! simple {
            ($m:expr, $k:expr) => {
                Type::new($k).nullable($m.q_mark.is_some())
            };
        }
        match n {
            N::Promise(p) => Type::new(TypeKind::Promise(Box::new(
                self.return_type(&p.generics.body),
            ))),
            N::Integer(i) => simple!(i, TypeKind::Integer(integer_type(&i.type_))),
            N::FloatingPoint(f) => simple!(f, TypeKind::Float(float_type(&f.type_))),
            N::Boolean(b) => simple!(b, TypeKind::Boolean),
            N::Byte(b) => simple!(b, TypeKind::Integer(IntegerType::Byte)),
            N::Octet(b) => simple!(b, TypeKind::Integer(IntegerType::Octet)),
            N::ByteString(b) => simple!(b, TypeKind::ByteString),
            N::DOMString(b) => simple!(b, TypeKind::DOMString),
            N::USVString(b) => simple!(b, TypeKind::USVString),
            N::Sequence(s) => simple!(
                s,
                TypeKind::Sequence(Box::new(self.ty(&s.type_.generics.body)))
            ),
            N::Object(b) => simple!(b, TypeKind::Object),
            N::Symbol(b) => simple!(b, TypeKind::Symbol),
            N::Error(b) => simple!(b, TypeKind::Named("Error".to_string())),
            N::ArrayBuffer(b) => simple!(b, TypeKind::Buffer(BufferKind::ArrayBuffer)),
            N::DataView(b) => simple!(b, TypeKind::Buffer(BufferKind::DataView)),
            N::Int8Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Int8Array)),
            N::Int16Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Int16Array)),
            N::Int32Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Int32Array)),
            N::Uint8Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Uint8Array)),
            N::Uint16Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Uint16Array)),
            N::Uint32Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Uint32Array)),
            N::Uint8ClampedArray(b) => {
                simple!(b, TypeKind::Buffer(BufferKind::Uint8ClampedArray))
            }
            N::Float32Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Float32Array)),
            N::Float64Array(b) => simple!(b, TypeKind::Buffer(BufferKind::Float64Array)),
            // These two are typedefs in WebIDL; resolved by name like any other typedef.
            N::ArrayBufferView(b) => simple!(b, TypeKind::Named("ArrayBufferView".to_string())),
            N::BufferSource(b) => simple!(b, TypeKind::Named("BufferSource".to_string())),
            N::FrozenArrayType(f) => simple!(
                f,
                TypeKind::FrozenArray(Box::new(self.ty(&f.type_.generics.body)))
            ),
            N::ObservableArrayType(f) => simple!(
                f,
                TypeKind::ObservableArray(Box::new(self.ty(&f.type_.generics.body)))
            ),
            N::RecordType(r) => {
                use weedle::types::RecordKeyType as K;
                let key = match &*r.type_.generics.body.0 {
                    K::Byte(_) => Type::new(TypeKind::ByteString),
                    K::DOM(_) => Type::new(TypeKind::DOMString),
                    K::USV(_) => Type::new(TypeKind::USVString),
                    K::NonAny(n) => self.non_any(n),
                };
                let value = self.ty(&r.type_.generics.body.2);
                simple!(r, TypeKind::Record(Box::new(key), Box::new(value)))
            }
            N::Identifier(i) => simple!(i, TypeKind::Named(i.type_.0.to_string())),
        }
    }
}

fn apply_type_attrs(ty: &mut Type, attrs: &ExtAttrs) {
    for a in &attrs.0 {
        match a.name.as_str() {
            "EnforceRange" => ty.attrs.enforce_range = true,
            "Clamp" => ty.attrs.clamp = true,
            "LegacyNullToEmptyString" => ty.attrs.legacy_null_to_empty_string = true,
            "AllowShared" => ty.attrs.allow_shared = true,
            _ => {}
        }
    }
}

fn integer_type(i: &weedle::types::IntegerType) -> IntegerType {
    use weedle::types::IntegerType as I;
    match i {
        I::LongLong(l) if l.unsigned.is_some() => IntegerType::UnsignedLongLong,
        I::LongLong(_) => IntegerType::LongLong,
        I::Long(l) if l.unsigned.is_some() => IntegerType::UnsignedLong,
        I::Long(_) => IntegerType::Long,
        I::Short(s) if s.unsigned.is_some() => IntegerType::UnsignedShort,
        I::Short(_) => IntegerType::Short,
    }
}

fn float_type(f: &weedle::types::FloatingPointType) -> FloatType {
    use weedle::types::FloatingPointType as F;
    match f {
        F::Float(f) if f.unrestricted.is_some() => FloatType::UnrestrictedFloat,
        F::Float(_) => FloatType::Float,
        F::Double(d) if d.unrestricted.is_some() => FloatType::UnrestrictedDouble,
        F::Double(_) => FloatType::Double,
    }
}

fn integer_lit(i: &weedle::literal::IntegerLit<'_>) -> i128 {
    use weedle::literal::IntegerLit as I;
    let (text, radix) = match i {
        I::Dec(d) => (d.0, 10),
        I::Hex(h) => (h.0, 16),
        I::Oct(o) => (o.0, 8),
    };
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = match radix {
        16 => &digits[2..],
        8 if digits.len() > 1 => &digits[1..],
        _ => digits,
    };
    let v = i128::from_str_radix(digits, radix).unwrap_or(0);
    if neg {
        -v
    } else {
        v
    }
}

fn float_lit(f: &weedle::literal::FloatLit<'_>) -> f64 {
    use weedle::literal::FloatLit as F;
    match f {
        F::Value(v) => v.0.parse().unwrap_or(f64::NAN),
        F::NegInfinity(_) => f64::NEG_INFINITY,
        F::Infinity(_) => f64::INFINITY,
        F::NaN(_) => f64::NAN,
    }
}

fn default_value(d: &weedle::literal::DefaultValue<'_>) -> DefaultValue {
    use weedle::literal::DefaultValue as D;
    match d {
        D::Boolean(b) => DefaultValue::Boolean(b.0),
        D::EmptyArray(_) => DefaultValue::EmptySequence,
        D::EmptyDictionary(_) => DefaultValue::EmptyDictionary,
        D::Float(f) => DefaultValue::Float(float_lit(f)),
        D::Integer(i) => DefaultValue::Integer(integer_lit(i)),
        D::Null(_) => DefaultValue::Null,
        D::String(s) => DefaultValue::String(s.0.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ParsedFile, Diagnostic> {
        parse_file(SourceFile::new("t.webidl", text)?)
    }

    #[test]
    fn numeric_extended_attributes_are_lifted() {
        let f = parse(
            "[Exposed=Window]\ninterface A {\n  [ReflectDefault=1, ReflectRange=(0, 8)] attribute long x;\n};\n",
        )
        .unwrap();
        let RawDefinition::Interface { def, .. } = &f.definitions[0].0 else {
            panic!("not an interface")
        };
        let Member::Attribute(a) = &def.members[0] else {
            panic!("not an attribute")
        };
        assert_eq!(
            a.ext_attrs.get("ReflectDefault"),
            Some(&ExtAttrValue::Integer("1".into()))
        );
        assert_eq!(
            a.ext_attrs.get("ReflectRange"),
            Some(&ExtAttrValue::List(vec!["0".into(), "8".into()]))
        );
        assert_eq!(a.location.line, 3);
    }

    #[test]
    fn trailing_semicolon_is_a_located_error() {
        let err = parse("interface A {};;").err().unwrap();
        assert_eq!((err.location.line, err.location.col), (1, 16));
        assert!(err.message.contains("expected a definition"), "{err}");
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let err = parse("// c\n[Exposed=Window]\ninterface A {\n  attribute long;\n};\n")
            .err()
            .unwrap();
        assert_eq!(err.location.file, "t.webidl");
        assert!(err.location.line >= 2, "{err}");
    }

    #[test]
    fn brackets_in_comments_and_strings_are_ignored() {
        parse("// [Broken=1\n/* [x=2 */ [Exposed=Window] interface A { [Reflect=\"a]\"] attribute long b; };").unwrap();
    }

    #[test]
    fn own_ext_attr_reader() {
        let a = parse_ext_attr_list("[A, B=x, C=\"s\", D=-1, E=1.5, F=*, G=(a, 2), H=I(long x)]")
            .unwrap();
        assert_eq!(a.0.len(), 8);
        assert_eq!(a.get("D"), Some(&ExtAttrValue::Integer("-1".into())));
        assert_eq!(a.get("E"), Some(&ExtAttrValue::Float("1.5".into())));
        assert!(
            matches!(a.get("H"), Some(ExtAttrValue::ArgList { name: Some(n), .. }) if n == "I")
        );
        assert!(parse_ext_attr_list("[A=]").is_err());
    }
}
