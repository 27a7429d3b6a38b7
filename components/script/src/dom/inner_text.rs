//! `innerText` and `outerText` (<https://html.spec.whatwg.org/#the-innertext-idl-attribute>)
//! without layout. The getter's "rendered text collection steps" need CSS boxes; this is the
//! documented approximation of them: elements that are not rendered (`script`, `style`,
//! `template`, `head` content, `hidden`, inline `display: none`) contribute nothing, `<br>`
//! is a line break, block-level elements are surrounded by one required line break and
//! `<p>` by two, table cells are separated by tabs and rows by line breaks, and white space
//! in text collapses as `white-space: normal` does (preserved inside `pre`, `textarea`,
//! `listing`, `plaintext`). The setter is the spec's (no layout needed).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::node::{self, Node};

/// One item of the spec's list: a string or a required line break count.
enum Item {
    Text(String),
    Breaks(usize),
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "caption"
            | "ul"
            | "xmp"
            | "plaintext"
            | "search"
            | "option"
            | "optgroup"
    )
}

/// Elements that are not being rendered in any document (their display is none).
fn not_rendered<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    if e.has_attr("hidden") {
        return true;
    }
    if crate::dom::cssstyledeclaration::inline_display(e).as_deref() == Some("none") {
        return true;
    }
    e.is_html()
        && matches!(
            e.local_name_(),
            "script"
                | "style"
                | "template"
                | "head"
                | "title"
                | "meta"
                | "link"
                | "base"
                | "noscript"
                | "datalist"
                | "param"
                | "area"
                | "rp"
                | "noembed"
                | "noframes"
        )
}

fn preserves_white_space<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    matches!(
        e.local_name_(),
        "pre" | "textarea" | "listing" | "plaintext" | "xmp"
    )
}

/// The rendered text collection steps over `n`'s subtree, with an explicit stack (a page can
/// nest elements deeper than the thread's stack could recurse).
fn collect<'js>(n: &Dom<'js, Node<'js>>, pre: bool, out: &mut Vec<Item>) {
    enum Step<'js> {
        /// A node, whether white space is preserved there, and whether a tab goes before
        /// it (a row's cell after its first).
        Visit(Dom<'js, Node<'js>>, bool, bool),
        Breaks(usize),
    }
    let mut stack = vec![Step::Visit(n.clone(), pre, false)];
    while let Some(step) = stack.pop() {
        let (n, pre) = match step {
            Step::Breaks(b) => {
                out.push(Item::Breaks(b));
                continue;
            }
            Step::Visit(n, pre, tab) => {
                if tab {
                    out.push(Item::Text("\t".into()));
                }
                (n, pre)
            }
        };
        let Some(Descend {
            children,
            pre,
            breaks,
            cells,
        }) = collect_one(&n, pre, out)
        else {
            continue;
        };
        // The breaks around the children: the leading ones now, the trailing ones once
        // every child came off the stack.
        if breaks > 0 {
            out.push(Item::Breaks(breaks));
            stack.push(Step::Breaks(breaks));
        }
        let mut first_cell = true;
        let mut visits = Vec::with_capacity(children.len());
        for c in children {
            let is_cell = cells
                && node::downcast::<Element>(&c)
                    .is_some_and(|ce| matches!(ce.local_name_(), "td" | "th"));
            visits.push(Step::Visit(c, pre, is_cell && !first_cell));
            if is_cell {
                first_cell = false;
            }
        }
        // In reverse, so the children come off the stack in tree order.
        stack.extend(visits.into_iter().rev());
    }
}

/// An element's children for [`collect`] to visit.
struct Descend<'js> {
    children: Vec<Dom<'js, Node<'js>>>,
    /// White space is preserved in them.
    pre: bool,
    /// Required line breaks before and after them.
    breaks: usize,
    /// They are a row's: a tab separates its cells.
    cells: bool,
}

/// One node of [`collect`]: a text node adds its text; a rendered element's children are
/// returned to be visited.
fn collect_one<'js>(
    n: &Dom<'js, Node<'js>>,
    pre: bool,
    out: &mut Vec<Item>,
) -> Option<Descend<'js>> {
    if let Some(e) = node::downcast::<Element>(n) {
        if not_rendered(&e) {
            return None;
        }
        let name = e.local_name_().to_string();
        let pre = pre || preserves_white_space(&e);
        if name == "br" {
            out.push(Item::Text("\n".into()));
            return None;
        }
        let breaks = if name == "p" {
            2
        } else if is_block(&name) || name == "tr" {
            1
        } else {
            0
        };
        return Some(Descend {
            children: n.child_list(),
            pre,
            breaks,
            cells: name == "tr",
        });
    }
    if n.node_type_() == node::TEXT_NODE || n.node_type_() == node::CDATA_SECTION_NODE {
        let data = node::downcast::<crate::dom::characterdata::CharacterData>(n)
            .map(|c| c.data_())
            .unwrap_or_default();
        if pre {
            out.push(Item::Text(data));
        } else {
            let mut s = String::new();
            let mut space = false;
            for ch in data.chars() {
                if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                    space = true;
                } else {
                    if space {
                        s.push(' ');
                    }
                    space = false;
                    s.push(ch);
                }
            }
            if space {
                s.push(' ');
            }
            out.push(Item::Text(s));
        }
    }
    None
}

/// <https://html.spec.whatwg.org/#get-the-text-steps>, approximated as the module says.
pub fn get_the_text_steps<'js>(e: &Dom<'js, Element<'js>>) -> String {
    // Step 1. If this is not being rendered (not in a document, or display none), return its
    // descendant text content.
    if not_rendered(e) || !node::is_connected(&e.upcast::<Node>()) {
        return node::descendant_text_content(&e.upcast::<Node>());
    }
    // Steps 2-3. The results of the rendered text collection steps on each child.
    let mut items = Vec::new();
    let node = e.upcast::<Node>();
    let pre = preserves_white_space(e);
    for c in node.child_list() {
        collect(&c, pre, &mut items);
    }
    // Collapsed white space at line starts and ends goes away (what layout would do).
    let mut joined: Vec<Item> = Vec::new();
    for item in items {
        match item {
            Item::Text(t) if t.is_empty() => {}
            Item::Text(t) => joined.push(Item::Text(t)),
            Item::Breaks(n) => joined.push(Item::Breaks(n)),
        }
    }
    // Steps 4-6. Drop leading and trailing required line breaks; replace each run of them
    // with the largest count of line feeds.
    let mut out = String::new();
    let mut pending = 0usize;
    for item in joined {
        match item {
            Item::Breaks(n) => pending = pending.max(n),
            Item::Text(t) => {
                let t = if pending > 0 || out.is_empty() || out.ends_with('\n') {
                    t.trim_start_matches(' ').to_string()
                } else {
                    t
                };
                if t.is_empty() {
                    continue;
                }
                if pending > 0 && !out.is_empty() {
                    while out.ends_with(' ') {
                        out.pop();
                    }
                    out.push_str(&"\n".repeat(pending));
                }
                pending = 0;
                out.push_str(&t);
            }
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// <https://html.spec.whatwg.org/#rendered-text-fragment>: text with `<br>` for each line
/// break (CR LF, CR and LF alike).
fn rendered_text_fragment<'js>(
    ctx: &Ctx<'js>,
    input: &str,
    document: &Dom<'js, crate::dom::document::Document<'js>>,
) -> Fallible<Dom<'js, Node<'js>>> {
    // Step 1. Let fragment be a new DocumentFragment whose node document is document.
    let fragment =
        crate::dom::documentfragment::DocumentFragment::create(ctx, document)?.upcast::<Node>();
    let normalized = input.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in normalized.split('\n').enumerate() {
        if i > 0 {
            let br = crate::dom::create::create_element(
                ctx,
                document,
                html5ever::QualName::new(None, html5ever::ns!(html), html5ever::local_name!("br")),
                Vec::new(),
                false,
            )?;
            node::append(ctx, &br.upcast::<Node>(), &fragment)?;
        }
        if !line.is_empty() {
            let text = crate::dom::text::Text::create(ctx, document, line.to_string())?;
            node::append(ctx, &text.upcast::<Node>(), &fragment)?;
        }
    }
    Ok(fragment)
}

/// The innerText setter steps: replace all with the rendered text fragment.
pub fn set_inner_text<'js>(
    ctx: &Ctx<'js>,
    e: &Dom<'js, Element<'js>>,
    value: String,
) -> Fallible<()> {
    let n = e.upcast::<Node>();
    let doc = node::node_document(&n).ok_or_else(|| Error::invalid_state("no node document"))?;
    // Step 1. Let fragment be the rendered text fragment for the given value.
    let fragment = rendered_text_fragment(ctx, &value, &doc)?;
    // Step 2. Replace all with fragment within this.
    node::replace_all(ctx, Some(&fragment), &n);
    Ok(())
}

/// <https://html.spec.whatwg.org/#dom-outertext>'s setter steps.
pub fn set_outer_text<'js>(
    ctx: &Ctx<'js>,
    e: &Dom<'js, Element<'js>>,
    value: String,
) -> Fallible<()> {
    let n = e.upcast::<Node>();
    // Step 1. If this's parent is null, then throw a "NoModificationAllowedError".
    let Some(parent) = n.parent_node() else {
        return Err(Error::dom(
            crate::dom::bindings::error::DomErrorName::NoModificationAllowedError,
            "the element has no parent",
        ));
    };
    let doc = node::node_document(&n).ok_or_else(|| Error::invalid_state("no node document"))?;
    // Steps 2-4. Remember the neighbours.
    let next = node::next_sibling(&n);
    let previous = node::previous_sibling(&n);
    // Step 5. Let fragment be the rendered text fragment for the given value.
    let fragment = rendered_text_fragment(ctx, &value, &doc)?;
    // Step 6. If fragment has no children, append a new empty Text node.
    if fragment.child_count() == 0 {
        let t = crate::dom::text::Text::create(ctx, &doc, String::new())?;
        node::append(ctx, &t.upcast::<Node>(), &fragment)?;
    }
    // Step 7. Replace this with fragment within this's parent.
    node::replace(ctx, &n, &fragment, &parent)?;
    // Step 8. If next is non-null and next's previous sibling is a Text node, then merge
    // with the next text node given next's previous sibling.
    if let Some(prev_of_next) = next.as_ref().and_then(node::previous_sibling) {
        merge_with_next_text_node(&prev_of_next);
    }
    // Step 9. If prev is a Text node, then merge with the next text node given prev.
    if let Some(p) = previous {
        merge_with_next_text_node(&p);
    }
    Ok(())
}

/// <https://html.spec.whatwg.org/#merge-with-the-next-text-node>
fn merge_with_next_text_node<'js>(n: &Dom<'js, Node<'js>>) {
    use crate::dom::characterdata::CharacterData;
    if n.node_type_() != node::TEXT_NODE {
        return;
    }
    // Step 1. Let next be node's next sibling.
    let Some(next) = node::next_sibling(n) else {
        return;
    };
    // Step 2. If next is not a Text node, then return.
    if next.node_type_() != node::TEXT_NODE {
        return;
    }
    let (Some(a), Some(b)) = (
        node::downcast::<CharacterData>(n),
        node::downcast::<CharacterData>(&next),
    ) else {
        return;
    };
    // Step 3. Replace data with node, node's data's length, 0, and next's data.
    let old = a.data_();
    a.append_str(&b.data_());
    crate::dom::characterdata::notify_data_change(n, old);
    // Step 4. Remove next.
    node::remove(&next);
}
