//! <https://drafts.csswg.org/cssom/#the-cssstyledeclaration-interface>: an element's inline
//! style (`element.style`, over its `style` attribute) and `getComputedStyle()`.
//!
//! The declarations are parsed with `cssparser` (the tokenizer Servo uses) from the `style`
//! attribute every time they are read, and serialized back into it when script changes them,
//! so the attribute and the object never disagree. What needs a style engine is left out and
//! documented: values are kept as written (whitespace collapsed, not checked against each
//! property's grammar beyond being a well-formed component value list), shorthands are not
//! expanded into their longhands, and a computed style is the inline style plus the user
//! agent's `display` (no cascade from style sheets).

use crate::dom::bindings::codegen::CSSStyleDeclarationBinding::CSSStyleDeclarationMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::element::Element;
use cssparser::{Delimiter, ParseError, Parser};

/// One declaration: a property (lowercased unless custom), its value, its priority.
#[derive(Clone, Debug, PartialEq)]
pub struct Declaration {
    pub name: String,
    pub value: String,
    pub important: bool,
}

/// The supported CSS properties: each has a camel-cased (and, with a "-", a dashed)
/// attribute in `webidls/CSSOM.webidl`.
pub const SUPPORTED_PROPERTIES: &[&str] = &[
    "align-content",
    "align-items",
    "align-self",
    "all",
    "animation",
    "animation-delay",
    "animation-direction",
    "animation-duration",
    "animation-fill-mode",
    "animation-iteration-count",
    "animation-name",
    "animation-play-state",
    "animation-timing-function",
    "appearance",
    "aspect-ratio",
    "backface-visibility",
    "background",
    "background-attachment",
    "background-blend-mode",
    "background-clip",
    "background-color",
    "background-image",
    "background-origin",
    "background-position",
    "background-position-x",
    "background-position-y",
    "background-repeat",
    "background-size",
    "block-size",
    "border",
    "border-block",
    "border-block-end",
    "border-block-start",
    "border-bottom",
    "border-bottom-color",
    "border-bottom-left-radius",
    "border-bottom-right-radius",
    "border-bottom-style",
    "border-bottom-width",
    "border-collapse",
    "border-color",
    "border-image",
    "border-image-outset",
    "border-image-repeat",
    "border-image-slice",
    "border-image-source",
    "border-image-width",
    "border-inline",
    "border-inline-end",
    "border-inline-start",
    "border-left",
    "border-left-color",
    "border-left-style",
    "border-left-width",
    "border-radius",
    "border-right",
    "border-right-color",
    "border-right-style",
    "border-right-width",
    "border-spacing",
    "border-style",
    "border-top",
    "border-top-color",
    "border-top-left-radius",
    "border-top-right-radius",
    "border-top-style",
    "border-top-width",
    "border-width",
    "bottom",
    "box-shadow",
    "box-sizing",
    "break-after",
    "break-before",
    "break-inside",
    "caption-side",
    "caret-color",
    "clear",
    "clip",
    "clip-path",
    "color",
    "column-count",
    "column-gap",
    "column-rule",
    "column-span",
    "column-width",
    "columns",
    "contain",
    "content",
    "counter-increment",
    "counter-reset",
    "cursor",
    "direction",
    "display",
    "empty-cells",
    "filter",
    "flex",
    "flex-basis",
    "flex-direction",
    "flex-flow",
    "flex-grow",
    "flex-shrink",
    "flex-wrap",
    "float",
    "font",
    "font-family",
    "font-feature-settings",
    "font-kerning",
    "font-size",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "gap",
    "grid",
    "grid-area",
    "grid-auto-columns",
    "grid-auto-flow",
    "grid-auto-rows",
    "grid-column",
    "grid-column-end",
    "grid-column-start",
    "grid-row",
    "grid-row-end",
    "grid-row-start",
    "grid-template",
    "grid-template-areas",
    "grid-template-columns",
    "grid-template-rows",
    "height",
    "hyphens",
    "image-rendering",
    "inline-size",
    "inset",
    "isolation",
    "justify-content",
    "justify-items",
    "justify-self",
    "left",
    "letter-spacing",
    "line-height",
    "list-style",
    "list-style-image",
    "list-style-position",
    "list-style-type",
    "margin",
    "margin-block",
    "margin-block-end",
    "margin-block-start",
    "margin-bottom",
    "margin-inline",
    "margin-inline-end",
    "margin-inline-start",
    "margin-left",
    "margin-right",
    "margin-top",
    "mask",
    "max-block-size",
    "max-height",
    "max-inline-size",
    "max-width",
    "min-block-size",
    "min-height",
    "min-inline-size",
    "min-width",
    "mix-blend-mode",
    "object-fit",
    "object-position",
    "opacity",
    "order",
    "outline",
    "outline-color",
    "outline-offset",
    "outline-style",
    "outline-width",
    "overflow",
    "overflow-wrap",
    "overflow-x",
    "overflow-y",
    "padding",
    "padding-block",
    "padding-block-end",
    "padding-block-start",
    "padding-bottom",
    "padding-inline",
    "padding-inline-end",
    "padding-inline-start",
    "padding-left",
    "padding-right",
    "padding-top",
    "page-break-after",
    "page-break-before",
    "page-break-inside",
    "perspective",
    "perspective-origin",
    "place-content",
    "place-items",
    "place-self",
    "pointer-events",
    "position",
    "quotes",
    "resize",
    "right",
    "rotate",
    "row-gap",
    "scale",
    "scroll-behavior",
    "scroll-margin",
    "scroll-padding",
    "scroll-snap-align",
    "scroll-snap-type",
    "scrollbar-color",
    "scrollbar-width",
    "tab-size",
    "table-layout",
    "text-align",
    "text-align-last",
    "text-decoration",
    "text-decoration-color",
    "text-decoration-line",
    "text-decoration-style",
    "text-indent",
    "text-overflow",
    "text-shadow",
    "text-transform",
    "text-underline-offset",
    "top",
    "touch-action",
    "transform",
    "transform-origin",
    "transform-style",
    "transition",
    "transition-delay",
    "transition-duration",
    "transition-property",
    "transition-timing-function",
    "translate",
    "unicode-bidi",
    "user-select",
    "vertical-align",
    "visibility",
    "white-space",
    "width",
    "will-change",
    "word-break",
    "word-spacing",
    "word-wrap",
    "writing-mode",
    "z-index",
];

/// <https://drafts.csswg.org/cssom/#css-declaration-block>
pub struct CSSStyleDeclaration<'js> {
    /// The owner node (inline style), or none for a computed style.
    owner: Option<Dom<'js, Element<'js>>>,
    /// A computed style's declarations (readonly).
    computed: Vec<Declaration>,
}

impl<'js> Trace<'js> for CSSStyleDeclaration<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.owner.trace(tracer)
    }
}

fn is_custom(name: &str) -> bool {
    name.starts_with("--")
}

fn is_supported(name: &str) -> bool {
    SUPPORTED_PROPERTIES.contains(&name)
}

/// The CSS-wide keywords, valid for every property.
const CSS_WIDE: &[&str] = &["inherit", "initial", "unset", "revert", "revert-layer"];

/// <https://drafts.csswg.org/css-color/#named-colors> and the system keywords pages use.
const NAMED_COLORS: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
    "transparent",
    "currentcolor",
    "canvas",
    "canvastext",
    "linktext",
    "visitedtext",
    "activetext",
    "buttonface",
    "buttontext",
    "buttonborder",
    "field",
    "fieldtext",
    "highlight",
    "highlighttext",
    "selecteditem",
    "selecteditemtext",
    "mark",
    "marktext",
    "graytext",
    "accentcolor",
    "accentcolortext",
];

/// Whether `value` is one component value of a kind `ok` accepts, or something only
/// computed later (`var()`, `env()`, `attr()`) or a CSS-wide keyword.
fn single_value(value: &str, ok: impl Fn(&cssparser::Token<'_>, &mut Parser<'_>) -> bool) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if CSS_WIDE.contains(&lower.as_str()) || lower.contains("var(") || lower.contains("env(") {
        return true;
    }
    let mut p = Parser::new(v);
    let token = match p.next() {
        Ok(t) => t.clone(),
        Err(_) => return false,
    };
    ok(&token, &mut p) && p.is_exhausted()
}

/// <https://drafts.csswg.org/css-color/#typedef-color>, approximately: a named color, a
/// hex color or a color function.
fn is_color(value: &str) -> bool {
    single_value(value, |t, p| match t {
        cssparser::Token::Ident(name) => NAMED_COLORS.contains(&name.to_ascii_lowercase().as_str()),
        cssparser::Token::IDHash(h) | cssparser::Token::Hash(h) => {
            matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_hexdigit())
        }
        cssparser::Token::Function(f) => {
            let known = matches!(
                f.to_ascii_lowercase().as_str(),
                "rgb"
                    | "rgba"
                    | "hsl"
                    | "hsla"
                    | "hwb"
                    | "lab"
                    | "lch"
                    | "oklab"
                    | "oklch"
                    | "color"
                    | "color-mix"
                    | "light-dark"
            );
            known
                && p.parse_nested_block(|p| -> Result<(), ParseError<()>> {
                    while p.next().is_ok() {}
                    Ok(())
                })
                .is_ok()
        }
        _ => false,
    })
}

/// A `<length-percentage>` (or `auto` where `auto_ok`): a dimension with a length unit, a
/// percentage, 0, or a math function.
fn is_length(value: &str, auto_ok: bool, negative_ok: bool) -> bool {
    single_value(value, |t, p| match t {
        cssparser::Token::Dimension { value, unit, .. } => {
            (negative_ok || *value >= 0.0)
                && matches!(
                    unit.to_ascii_lowercase().as_str(),
                    "px" | "em"
                        | "rem"
                        | "ex"
                        | "ch"
                        | "vw"
                        | "vh"
                        | "vmin"
                        | "vmax"
                        | "cm"
                        | "mm"
                        | "in"
                        | "pt"
                        | "pc"
                        | "q"
                        | "lh"
                        | "rlh"
                        | "vi"
                        | "vb"
                        | "svw"
                        | "svh"
                        | "lvw"
                        | "lvh"
                        | "dvw"
                        | "dvh"
                        | "cqw"
                        | "cqh"
                        | "cqi"
                        | "cqb"
                        | "cqmin"
                        | "cqmax"
                        | "ic"
                        | "cap"
                )
        }
        cssparser::Token::Percentage { unit_value, .. } => negative_ok || *unit_value >= 0.0,
        cssparser::Token::Number { value, .. } => *value == 0.0,
        cssparser::Token::Ident(i) => auto_ok && i.eq_ignore_ascii_case("auto"),
        cssparser::Token::Function(f) => {
            matches!(
                f.to_ascii_lowercase().as_str(),
                "calc" | "min" | "max" | "clamp" | "fit-content"
            ) && p
                .parse_nested_block(|p| -> Result<(), ParseError<()>> {
                    while p.next().is_ok() {}
                    Ok(())
                })
                .is_ok()
        }
        _ => false,
    })
}

fn is_keyword(value: &str, keywords: &[&str]) -> bool {
    single_value(value, |t, _| match t {
        cssparser::Token::Ident(i) => keywords.contains(&i.to_ascii_lowercase().as_str()),
        _ => false,
    })
}

/// The property's grammar, for the properties pages set most (the rest accept any
/// well-formed value): colors, lengths, and the keyword properties.
fn valid_for_property(name: &str, value: &str) -> bool {
    match name {
        "color"
        | "background-color"
        | "border-color"
        | "border-top-color"
        | "border-right-color"
        | "border-bottom-color"
        | "border-left-color"
        | "outline-color"
        | "caret-color"
        | "text-decoration-color"
        | "column-rule-color" => is_color(value),
        "width" | "height" | "min-width" | "min-height" | "max-width" | "max-height"
        | "inline-size" | "block-size" | "flex-basis" => {
            let max = name.starts_with("max-");
            is_length(value, !max, false)
                || (max && is_keyword(value, &["none"]))
                || is_keyword(
                    value,
                    &["min-content", "max-content", "fit-content", "content"],
                )
        }
        "top" | "right" | "bottom" | "left" | "margin-top" | "margin-right" | "margin-bottom"
        | "margin-left" => is_length(value, true, true),
        "padding-top"
        | "padding-right"
        | "padding-bottom"
        | "padding-left"
        | "font-size"
        | "border-top-left-radius"
        | "border-top-right-radius"
        | "border-bottom-left-radius"
        | "border-bottom-right-radius"
        | "row-gap"
        | "column-gap" => {
            is_length(value, false, false)
                || (name == "font-size"
                    && is_keyword(
                        value,
                        &[
                            "xx-small",
                            "x-small",
                            "small",
                            "medium",
                            "large",
                            "x-large",
                            "xx-large",
                            "xxx-large",
                            "smaller",
                            "larger",
                            "math",
                        ],
                    ))
                || (name.ends_with("gap") && is_keyword(value, &["normal"]))
        }
        "display" => {
            let words: Vec<String> = value
                .split_ascii_whitespace()
                .map(|w| w.to_ascii_lowercase())
                .collect();
            !words.is_empty()
                && words.len() <= 3
                && words.iter().all(|w| {
                    [
                        "none",
                        "block",
                        "inline",
                        "inline-block",
                        "flex",
                        "inline-flex",
                        "grid",
                        "inline-grid",
                        "flow",
                        "flow-root",
                        "table",
                        "inline-table",
                        "table-row",
                        "table-cell",
                        "table-column",
                        "table-row-group",
                        "table-header-group",
                        "table-footer-group",
                        "table-column-group",
                        "table-caption",
                        "list-item",
                        "contents",
                        "run-in",
                        "ruby",
                        "ruby-base",
                        "ruby-text",
                        "ruby-base-container",
                        "ruby-text-container",
                        "math",
                        "inherit",
                        "initial",
                        "unset",
                        "revert",
                        "revert-layer",
                    ]
                    .contains(&w.as_str())
                })
                || value.to_ascii_lowercase().contains("var(")
        }
        "position" => is_keyword(
            value,
            &["static", "relative", "absolute", "fixed", "sticky"],
        ),
        "visibility" => is_keyword(value, &["visible", "hidden", "collapse"]),
        "float" => is_keyword(
            value,
            &["left", "right", "none", "inline-start", "inline-end"],
        ),
        "clear" => is_keyword(
            value,
            &[
                "left",
                "right",
                "none",
                "both",
                "inline-start",
                "inline-end",
            ],
        ),
        "box-sizing" => is_keyword(value, &["content-box", "border-box"]),
        "text-align" => is_keyword(
            value,
            &[
                "start",
                "end",
                "left",
                "right",
                "center",
                "justify",
                "match-parent",
                "justify-all",
            ],
        ),
        "z-index" | "order" => single_value(value, |t, _| match t {
            cssparser::Token::Number { int_value, .. } => int_value.is_some(),
            cssparser::Token::Ident(i) => name == "z-index" && i.eq_ignore_ascii_case("auto"),
            _ => false,
        }),
        "opacity" => single_value(value, |t, _| {
            matches!(
                t,
                cssparser::Token::Number { .. } | cssparser::Token::Percentage { .. }
            )
        }),
        _ => true,
    }
}

/// Trims and collapses white space outside strings (what serializing the parsed component
/// values gives for the values kept here).
fn normalize_value(raw: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut space = false;
    for c in raw.trim().chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c.is_ascii_whitespace() => space = true,
            None => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// Splits a trailing `!important` off a value.
fn split_priority(value: &str) -> (String, bool) {
    let v = value.trim_end();
    if let Some(i) = v.rfind('!') {
        if v[i + 1..].trim().eq_ignore_ascii_case("important") {
            return (v[..i].trim_end().to_string(), true);
        }
    }
    (v.to_string(), false)
}

/// Whether `value` is a well-formed list of component values (balanced blocks, no bad
/// strings or URLs, no top-level `;` or `!`... that a declaration could not hold).
fn parses_as_component_values(value: &str) -> bool {
    let mut p = Parser::new(value);
    let mut any = false;
    loop {
        match p.next_including_whitespace_and_comments() {
            Ok(t) => {
                use cssparser::Token::*;
                match t {
                    BadString(_) | BadUrl(_) | CloseParenthesis | CloseSquareBracket
                    | CloseCurlyBracket | Semicolon => return false,
                    Delim('!') => return false,
                    WhiteSpace(_) | Comment(_) => {}
                    Function(_) | ParenthesisBlock | SquareBracketBlock | CurlyBracketBlock => {
                        any = true;
                        let nested: Result<(), ParseError<()>> = p.parse_nested_block(|p| {
                            while p.next_including_whitespace_and_comments().is_ok() {}
                            Ok(())
                        });
                        if nested.is_err() {
                            return false;
                        }
                    }
                    _ => any = true,
                }
            }
            Err(_) => return any,
        }
    }
}

/// <https://drafts.csswg.org/css-syntax/#parse-a-list-of-declarations> of a `style`
/// attribute: invalid declarations are dropped, a later declaration of a property replaces
/// an earlier one.
pub fn parse_declarations(text: &str) -> Vec<Declaration> {
    let mut p = Parser::new(text);
    let mut out: Vec<Declaration> = Vec::new();
    while !p.is_exhausted() {
        let r: Result<Option<Declaration>, ParseError<()>> =
            p.parse_until_after(Delimiter::Semicolon, |p| {
                let name = p.expect_ident()?.to_string();
                p.expect_colon()?;
                let start = p.position();
                while p.next_including_whitespace_and_comments().is_ok() {}
                let (value, important) = split_priority(p.slice_from(start));
                let value = normalize_value(&value);
                let name = if is_custom(&name) {
                    name
                } else {
                    name.to_ascii_lowercase()
                };
                if value.is_empty() && !is_custom(&name) {
                    return Ok(None);
                }
                if !is_custom(&name) && !is_supported(&name) {
                    return Ok(None);
                }
                if !is_custom(&name) && !valid_for_property(&name, &value) {
                    return Ok(None);
                }
                Ok(Some(Declaration {
                    name,
                    value,
                    important,
                }))
            });
        if let Ok(Some(d)) = r {
            // A later declaration replaces an earlier one, unless only the earlier one is
            // !important (the cascade within one block).
            if out
                .iter()
                .any(|x| x.name == d.name && x.important && !d.important)
            {
                continue;
            }
            out.retain(|x| x.name != d.name);
            out.push(d);
        }
    }
    out
}

/// <https://drafts.csswg.org/cssom/#serialize-a-css-declaration-block>
pub fn serialize_declarations(decls: &[Declaration]) -> String {
    decls
        .iter()
        .map(|d| {
            format!(
                "{}: {}{};",
                d.name,
                d.value,
                if d.important { " !important" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value of `display` in `e`'s inline style, if it sets one.
pub fn inline_display<'js>(e: &Dom<'js, Element<'js>>) -> Option<String> {
    let style = e.get_attr("style")?;
    parse_declarations(&style)
        .into_iter()
        .find(|d| d.name == "display")
        .map(|d| d.value.to_ascii_lowercase())
}

/// The user agent style sheet's `display` for an HTML element
/// (<https://html.spec.whatwg.org/#rendering>), `hidden` included.
fn default_display<'js>(e: &Dom<'js, Element<'js>>) -> &'static str {
    if e.has_attr("hidden") {
        return "none";
    }
    if !e.is_html() {
        return "inline";
    }
    match e.local_name_() {
        "area" | "base" | "basefont" | "datalist" | "head" | "link" | "meta" | "noembed"
        | "noframes" | "param" | "rp" | "script" | "style" | "template" | "title" => "none",
        "html" | "address" | "blockquote" | "center" | "dialog" | "div" | "figure"
        | "figcaption" | "footer" | "form" | "header" | "hr" | "legend" | "listing" | "main"
        | "p" | "plaintext" | "pre" | "search" | "xmp" | "article" | "aside" | "h1" | "h2"
        | "h3" | "h4" | "h5" | "h6" | "hgroup" | "nav" | "section" | "body" | "dir" | "dd"
        | "dl" | "dt" | "menu" | "ol" | "ul" | "fieldset" | "details" | "summary" | "optgroup"
        | "option" => match e.local_name_() {
            "dialog" if !e.has_attr("open") => "none",
            "summary" => "block",
            _ => "block",
        },
        "li" => "list-item",
        "table" => "table",
        "caption" => "table-caption",
        "colgroup" => "table-column-group",
        "col" => "table-column",
        "thead" => "table-header-group",
        "tbody" => "table-row-group",
        "tfoot" => "table-footer-group",
        "tr" => "table-row",
        "td" | "th" => "table-cell",
        "input" | "button" | "select" | "textarea" | "meter" | "progress" | "img" | "video"
        | "audio" | "iframe" | "canvas" | "object" | "embed" => match e.local_name_() {
            "input"
                if e.get_attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("hidden")) =>
            {
                "none"
            }
            "audio" if !e.has_attr("controls") => "none",
            _ => "inline-block",
        },
        "ruby" => "ruby",
        "rt" => "ruby-text",
        _ => "inline",
    }
}

impl<'js> CSSStyleDeclaration<'js> {
    /// `element.style` (the glue's [SameObject] keeps one per element).
    pub fn for_element(
        ctx: &Ctx<'js>,
        element: Dom<'js, Element<'js>>,
    ) -> Fallible<Dom<'js, CSSStyleDeclaration<'js>>> {
        reflect_dom_object(
            ctx,
            CSSStyleDeclaration {
                owner: Some(element),
                computed: Vec::new(),
            },
        )
    }

    /// <https://drafts.csswg.org/cssom/#dom-window-getcomputedstyle>: a readonly declaration
    /// block of the inline style plus the user agent's `display` (no cascade from style
    /// sheets: there is no style engine).
    pub fn computed(
        ctx: &Ctx<'js>,
        element: &Dom<'js, Element<'js>>,
    ) -> Fallible<Dom<'js, CSSStyleDeclaration<'js>>> {
        let mut decls = element
            .get_attr("style")
            .map(|s| parse_declarations(&s))
            .unwrap_or_default();
        let display_none_ancestor = {
            let mut n = element.upcast::<crate::dom::node::Node>().parent_node();
            let mut none = false;
            while let Some(x) = n {
                if let Some(e) = crate::dom::node::downcast::<Element>(&x) {
                    if inline_display(&e).as_deref() == Some("none") {
                        none = true;
                    }
                }
                n = x.parent_node();
            }
            none
        };
        if !decls.iter().any(|d| d.name == "display") {
            decls.push(Declaration {
                name: "display".into(),
                value: default_display(element).into(),
                important: false,
            });
        }
        let _ = display_none_ancestor;
        for d in decls.iter_mut() {
            d.important = false;
        }
        reflect_dom_object(
            ctx,
            CSSStyleDeclaration {
                owner: None,
                computed: decls,
            },
        )
    }

    fn readonly(&self) -> bool {
        self.owner.is_none()
    }

    fn declarations(&self) -> Vec<Declaration> {
        match &self.owner {
            Some(e) => e
                .get_attr("style")
                .map(|s| parse_declarations(&s))
                .unwrap_or_default(),
            None => self.computed.clone(),
        }
    }

    fn check_writable(&self) -> Fallible<()> {
        if self.readonly() {
            return Err(Error::dom(
                DomErrorName::NoModificationAllowedError,
                "a computed style cannot be changed",
            ));
        }
        Ok(())
    }

    /// <https://drafts.csswg.org/cssom/#update-style-attribute-for>
    fn update_style_attribute(&self, ctx: &Ctx<'js>, decls: &[Declaration]) {
        if let Some(e) = &self.owner {
            e.set_attr(ctx, e, "style", serialize_declarations(decls));
        }
    }

    fn property_name(property: &str) -> String {
        if is_custom(property) {
            property.to_string()
        } else {
            property.to_ascii_lowercase()
        }
    }
}

impl<'js> CSSStyleDeclarationMethods<'js> for CSSStyleDeclaration<'js> {
    fn cssText(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        // A computed style's cssText is the empty string.
        if self.readonly() {
            return Ok(String::new());
        }
        Ok(serialize_declarations(&self.declarations()))
    }
    fn set_cssText(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        // Step 1. If the readonly flag is set, throw NoModificationAllowedError.
        self.check_writable()?;
        // Steps 2-3. Empty the declarations, parse the value into them.
        let decls = parse_declarations(&value);
        // Step 4. Update style attribute for the CSS declaration block.
        self.update_style_attribute(&cx.ctx, &decls);
        Ok(())
    }
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.declarations().len() as u32)
    }
    fn item(&self, _cx: &Cx<'js>, index: u32) -> Fallible<DOMString> {
        Ok(self
            .declarations()
            .get(index as usize)
            .map(|d| d.name.clone())
            .unwrap_or_default())
    }
    /// <https://drafts.csswg.org/cssom/#dom-cssstyledeclaration-getpropertyvalue>
    fn getPropertyValue(&self, _cx: &Cx<'js>, property: DOMString) -> Fallible<DOMString> {
        // Step 1. If property is not a custom property, ASCII lowercase it.
        let name = Self::property_name(&property);
        // Steps 2-4. The value of the declaration of that name, or the empty string.
        Ok(self
            .declarations()
            .into_iter()
            .find(|d| d.name == name)
            .map(|d| d.value)
            .unwrap_or_default())
    }
    fn getPropertyPriority(&self, _cx: &Cx<'js>, property: DOMString) -> Fallible<DOMString> {
        let name = Self::property_name(&property);
        Ok(self
            .declarations()
            .into_iter()
            .find(|d| d.name == name && d.important)
            .map(|_| "important".to_string())
            .unwrap_or_default())
    }
    /// <https://drafts.csswg.org/cssom/#dom-cssstyledeclaration-setproperty>
    fn setProperty(
        &self,
        cx: &Cx<'js>,
        property: DOMString,
        value: DOMString,
        priority: DOMString,
    ) -> Fallible<()> {
        // Step 1. If the readonly flag is set, throw NoModificationAllowedError.
        self.check_writable()?;
        // Step 2. If property is not a custom property: lowercase it; if it is not a
        // case-sensitive match for a supported CSS property, return.
        let name = Self::property_name(&property);
        if !is_custom(&name) && !is_supported(&name) {
            return Ok(());
        }
        // Step 3. If value is the empty string, invoke removeProperty() and return.
        if value.is_empty() {
            self.removeProperty(cx, property)?;
            return Ok(());
        }
        // Step 4. If priority is neither empty nor "important", return.
        let important = if priority.is_empty() {
            false
        } else if priority.eq_ignore_ascii_case("important") {
            true
        } else {
            return Ok(());
        };
        // Steps 5-6. Parse value as the property's grammar; on failure, return.
        if !parses_as_component_values(&value) {
            return Ok(());
        }
        let value = normalize_value(&value);
        if !is_custom(&name) && !valid_for_property(&name, &value) {
            return Ok(());
        }
        // Steps 7-8. Set the CSS declaration (replacing one of the same name in place).
        let mut decls = self.declarations();
        let new = Declaration {
            name: name.clone(),
            value,
            important,
        };
        match decls.iter_mut().find(|d| d.name == name) {
            Some(d) if *d == new => return Ok(()),
            Some(d) => *d = new,
            None => decls.push(new),
        }
        // Step 9. If updated is true, update style attribute.
        self.update_style_attribute(&cx.ctx, &decls);
        Ok(())
    }
    /// <https://drafts.csswg.org/cssom/#dom-cssstyledeclaration-removeproperty>
    fn removeProperty(&self, cx: &Cx<'js>, property: DOMString) -> Fallible<DOMString> {
        // Step 1. Readonly: NoModificationAllowedError.
        self.check_writable()?;
        // Step 2. Lowercase a non-custom property.
        let name = Self::property_name(&property);
        // Step 3. Let value be the return value of getPropertyValue(property).
        let value = self.getPropertyValue(cx, name.clone())?;
        // Steps 4-5. Remove the declaration; if one was removed, update style attribute.
        let mut decls = self.declarations();
        let before = decls.len();
        decls.retain(|d| d.name != name);
        if decls.len() != before {
            self.update_style_attribute(&cx.ctx, &decls);
        }
        // Step 6. Return value.
        Ok(value)
    }
    fn cssFloat(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        self.getPropertyValue(cx, "float".into())
    }
    fn set_cssFloat(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.setProperty(cx, "float".into(), value, String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_parse_and_serialize() {
        let d = parse_declarations("display:none; COLOR : red  !important;bogus-prop: 1; margin:;");
        assert_eq!(
            serialize_declarations(&d),
            "display: none; color: red !important;"
        );
        let d = parse_declarations("width: 1px; width: 2px; --Custom: a  b");
        assert_eq!(serialize_declarations(&d), "width: 2px; --Custom: a b;");
        assert!(parses_as_component_values("rgb(1, 2, 3)"));
        assert!(!parses_as_component_values("a; b"));
    }
}
