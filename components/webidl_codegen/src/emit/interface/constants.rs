//! WebIDL §3.7.5 Constants: a `ConstSpec` each; the runtime defines them on the interface
//! object and the prototype.

use super::Binding;
use crate::emit::Emitter;
use crate::model::ConstValue;
use quote::quote;

impl Emitter<'_> {
    pub(super) fn constants(&self, b: &mut Binding) {
        for c in b.iface.consts() {
            let n = &c.name;
            let value = match &c.value {
                ConstValue::Boolean(b) => quote!(ConstValue::Bool(#b)),
                ConstValue::Integer(i) => {
                    let f = *i as f64;
                    quote!(ConstValue::Number(#f))
                }
                ConstValue::Float(f) => {
                    let f = crate::emit::convert::float_lit64(*f);
                    quote!(ConstValue::Number(#f))
                }
                ConstValue::Null => quote!(ConstValue::Null),
            };
            b.constants
                .push(quote!(ConstSpec { name: #n, value: #value },));
        }
    }
}
