//! What the form elements share (<https://html.spec.whatwg.org/#forms>): form owners, the
//! listed elements, the list of options and their selectedness, form submission as far as it
//! goes without navigation, and constraint validation's `required` check.

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::formdata::EntryValue;
use crate::dom::node::{self, Node};

/// <https://html.spec.whatwg.org/#category-listed>
pub fn is_listed<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    e.is_html()
        && matches!(
            e.local_name_(),
            "button" | "fieldset" | "input" | "object" | "output" | "select" | "textarea"
        )
}

/// <https://html.spec.whatwg.org/#form-owner>, computed from the tree: the element named by
/// a `form` attribute (when it is a form in the same tree), else the nearest form ancestor.
pub fn form_owner<'js>(e: &Dom<'js, Element<'js>>) -> Option<Dom<'js, Element<'js>>> {
    let n = e.upcast::<Node>();
    if let Some(id) = e.get_attr("form") {
        let root = node::root(&n);
        return node::element_by_id(&root, &id)
            .filter(|f| f.is_html() && f.local_name_() == "form");
    }
    let mut p = n.parent_node();
    while let Some(x) = p {
        if let Some(el) = node::downcast::<Element>(&x) {
            if el.is_html() && el.local_name_() == "form" {
                return Some(el);
            }
        }
        p = x.parent_node();
    }
    None
}

/// The `form` IDL attribute of a form-associated element.
pub fn form_attribute<'js>(
    cx: &Cx<'js>,
) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
    let e = crate::dom::element::this_element(cx)?;
    Ok(form_owner(&e).and_then(|f| node::downcast(&f.upcast::<Node>())))
}

/// `form.elements`: the listed elements (not image buttons) whose owner is `form`, in tree
/// order.
pub fn form_elements<'js>(form: &Dom<'js, Node<'js>>) -> Vec<Dom<'js, Element<'js>>> {
    let root = node::root(form);
    node::descendants(&root)
        .iter()
        .filter_map(node::downcast::<Element>)
        .filter(|e| is_listed(e))
        .filter(|e| !(e.local_name_() == "input" && input_type_is(e, "image")))
        .filter(|e| form_owner(e).is_some_and(|f| f.upcast::<Node>().ptr_eq(form)))
        .collect()
}

fn input_type_is<'js>(e: &Dom<'js, Element<'js>>, t: &str) -> bool {
    e.get_attr("type")
        .is_some_and(|v| v.eq_ignore_ascii_case(t))
}

/// <https://html.spec.whatwg.org/#concept-select-option-list>: option children, and option
/// children of optgroup children.
pub fn list_of_options<'js>(select: &Dom<'js, Node<'js>>) -> Vec<Dom<'js, Element<'js>>> {
    let mut out = Vec::new();
    for c in node::element_children(select) {
        if !c.is_html() {
            continue;
        }
        match c.local_name_() {
            "option" => out.push(c),
            "optgroup" => out.extend(
                node::element_children(&c.upcast::<Node>())
                    .into_iter()
                    .filter(|o| o.is_html() && o.local_name_() == "option"),
            ),
            _ => {}
        }
    }
    // A datalist's options are all its option descendants.
    if node::downcast::<Element>(select).is_some_and(|e| e.local_name_() == "datalist") {
        return node::descendants(select)
            .iter()
            .filter_map(node::downcast::<Element>)
            .filter(|o| o.is_html() && o.local_name_() == "option")
            .collect();
    }
    out
}

/// An option's selectedness.
pub fn selectedness<'js>(o: &Dom<'js, Element<'js>>) -> bool {
    node::downcast::<crate::dom::htmloptionelement::HTMLOptionElement>(&o.upcast::<Node>())
        .map(|opt| opt.selectedness())
        .unwrap_or(false)
}

/// <https://html.spec.whatwg.org/#suffering-from-being-missing> of a required input,
/// textarea (mutable only) or select.
pub fn suffers_from_being_missing<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    if !e.has_attr("required") {
        return false;
    }
    let n = e.upcast::<Node>();
    if let Some(i) = node::downcast::<crate::dom::htmlinputelement::HTMLInputElement>(&n) {
        return i.suffers_from_being_missing(e);
    }
    if let Some(t) = node::downcast::<crate::dom::htmltextareaelement::HTMLTextAreaElement>(&n) {
        // A textarea must be mutable to suffer from being missing.
        if crate::dom::constraints::is_disabled(e) || e.has_attr("readonly") {
            return false;
        }
        return t.api_value(e).is_empty();
    }
    if e.local_name_() == "select" {
        return !list_of_options(&n)
            .iter()
            .any(|o| selectedness(o) && !o.get_attr("value").is_some_and(|v| v.is_empty()));
    }
    false
}

/// The check validity steps of one element ([`crate::dom::constraints::check_validity`]).
pub fn check_validity<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> bool {
    crate::dom::constraints::check_validity(ctx, e)
}

/// <https://html.spec.whatwg.org/#statically-validate-the-constraints> of a form: every
/// invalid control gets its `invalid` event; true if there were none.
pub fn check_form_validity<'js>(ctx: &Ctx<'js>, form: &Dom<'js, Element<'js>>) -> bool {
    let mut ok = true;
    for e in form_elements(&form.upcast::<Node>()) {
        if !check_validity(ctx, &e) {
            ok = false;
        }
    }
    ok
}

/// <https://html.spec.whatwg.org/#constructing-the-form-data-set>.
pub fn construct_the_entry_list<'js>(
    ctx: &Ctx<'js>,
    form: &Dom<'js, Element<'js>>,
    submitter: Option<&Dom<'js, Element<'js>>>,
) -> Fallible<Vec<(String, EntryValue<'js>)>> {
    let mut entries = Vec::new();
    // Step 4. For each element field in controls, in tree order:
    for field in form_elements(&form.upcast::<Node>()) {
        // Step 5.1. Skip fields in a datalist, disabled ones, buttons other than the
        // submitter, unchecked checkboxes and radio buttons, and object elements.
        if field.has_attr("disabled") || in_disabled_fieldset(&field) {
            continue;
        }
        let is_button = matches!(field.local_name_(), "button")
            || (field.local_name_() == "input"
                && matches!(
                    crate::dom::htmlinputelement::input_type(&field).as_str(),
                    "submit" | "reset" | "button" | "image"
                ));
        if is_button && !submitter.is_some_and(|s| s.ptr_eq(&field)) {
            continue;
        }
        if matches!(field.local_name_(), "object" | "fieldset" | "output") {
            continue;
        }
        let n = field.upcast::<Node>();
        let input = node::downcast::<crate::dom::htmlinputelement::HTMLInputElement>(&n);
        let input_type = input
            .as_ref()
            .map(|_| crate::dom::htmlinputelement::input_type(&field));
        if let (Some(i), Some(t)) = (&input, input_type.as_deref()) {
            if (t == "checkbox" || t == "radio") && !i.checkedness(&field) {
                continue;
            }
        }
        // Step 5.3-5.4. The name; skip a field without one (or an empty one).
        let Some(name) = field.get_attr("name").filter(|n| !n.is_empty()) else {
            continue;
        };
        // Step 5.8. A file input: each selected file, or an empty application/octet-stream
        // File named "" when there is none.
        if let (Some(i), Some("file")) = (&input, input_type.as_deref()) {
            let files = i.selected_files();
            if files.is_empty() {
                let empty = reflect_dom_object(
                    ctx,
                    crate::dom::file::File::new_inherited(
                        Vec::new(),
                        "application/octet-stream",
                        "",
                        crate::dom::file::now_ms(),
                    ),
                )?;
                entries.push((name, EntryValue::File(empty)));
            } else {
                for f in files {
                    entries.push((name.clone(), EntryValue::File(f)));
                }
            }
            continue;
        }
        match (field.local_name_(), input_type.as_deref()) {
            // Step 5.6. A select: each selected, enabled option's value.
            ("select", _) => {
                for o in list_of_options(&n) {
                    if selectedness(&o) && !o.has_attr("disabled") {
                        entries.push((
                            name.clone(),
                            EntryValue::String(crate::dom::htmloptionelement::option_value(&o)),
                        ));
                    }
                }
            }
            // Step 5.7. Checkbox or radio: its value, "on" by default.
            ("input", Some("checkbox" | "radio")) => entries.push((
                name,
                EntryValue::String(field.get_attr("value").unwrap_or_else(|| "on".into())),
            )),
            // Step 5.9. A hidden input named _charset_: the encoding's name.
            ("input", Some("hidden")) if name.eq_ignore_ascii_case("_charset_") => {
                entries.push((name, EntryValue::String("UTF-8".into())))
            }
            ("input", _) => {
                if let Some(i) = &input {
                    let v = match input_type.as_deref() {
                        Some("submit" | "reset" | "button" | "hidden" | "image") => {
                            field.get_attr("value").unwrap_or_default()
                        }
                        _ => i.value_of(&field),
                    };
                    entries.push((name, EntryValue::String(v)));
                }
            }
            // Step 5.10. A textarea: its value with newlines normalized to CRLF later (at
            // serialization); the API value here.
            ("textarea", _) => {
                if let Some(t) =
                    node::downcast::<crate::dom::htmltextareaelement::HTMLTextAreaElement>(&n)
                {
                    entries.push((name, EntryValue::String(t.api_value(&field))));
                }
            }
            // A button submitter: its value.
            ("button", _) => entries.push((
                name,
                EntryValue::String(field.get_attr("value").unwrap_or_default()),
            )),
            _ => {}
        }
    }
    Ok(entries)
}

/// Whether `e` is a descendant of a disabled fieldset (outside its first legend).
fn in_disabled_fieldset<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    let mut p = e.upcast::<Node>().parent_node();
    while let Some(x) = p {
        if let Some(f) = node::downcast::<Element>(&x) {
            if f.local_name_() == "fieldset" && f.has_attr("disabled") {
                let first_legend = node::element_children(&x)
                    .into_iter()
                    .find(|c| c.local_name_() == "legend");
                let in_legend = first_legend.is_some_and(|l| {
                    node::is_inclusive_ancestor(&l.upcast::<Node>(), &e.upcast::<Node>())
                });
                if !in_legend {
                    return true;
                }
            }
        }
        p = x.parent_node();
    }
    false
}

/// The cloning steps of input, textarea and option elements
/// (<https://html.spec.whatwg.org/#the-input-element:concept-node-clone-ext> and the others):
/// the copy keeps the value, the checkedness, the selectedness and their dirty flags.
pub fn cloning_steps<'js>(from: &Dom<'js, Element<'js>>, to: &Dom<'js, Element<'js>>) {
    let (f, t) = (from.upcast::<Node>(), to.upcast::<Node>());
    use crate::dom::htmlinputelement::HTMLInputElement;
    use crate::dom::htmloptionelement::HTMLOptionElement;
    use crate::dom::htmltextareaelement::HTMLTextAreaElement;
    if let (Some(a), Some(b)) = (
        node::downcast::<HTMLInputElement>(&f),
        node::downcast::<HTMLInputElement>(&t),
    ) {
        b.copy_state_from(&a);
    } else if let (Some(a), Some(b)) = (
        node::downcast::<HTMLTextAreaElement>(&f),
        node::downcast::<HTMLTextAreaElement>(&t),
    ) {
        b.copy_state_from(&a);
    } else if let (Some(a), Some(b)) = (
        node::downcast::<HTMLOptionElement>(&f),
        node::downcast::<HTMLOptionElement>(&t),
    ) {
        b.copy_state_from(&a);
    }
}
