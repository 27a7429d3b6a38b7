//! Setup hooks an embedder can build without naming a JS engine type: a script run in the
//! new realm before anything else (as a browser's "init scripts" or WPT's injected
//! testdriver), and a host function the page can call (strings in, a string or an error
//! out). Each is a [`SetupHook`] for [`crate::GlobalOptions::setup`].

use crate::dom::bindings::error::{describe_exception, Error};
use crate::global_handle::SetupHook;
use std::sync::Arc;

/// What a host function does with the string the page passed: a string back, or an error
/// message the page receives as a thrown `Error`.
pub type HostFunction = Arc<dyn Fn(String) -> Result<String, String> + Send + Sync>;

/// A classic script run in the global's realm before any of its own scripts (`url` names it
/// in error messages). A script that throws makes the global fail to start, with the
/// exception described.
pub fn init_script(source: String, url: String) -> SetupHook {
    Box::new(move |ctx| {
        let mut options = rquickjs::context::EvalOptions::default();
        options.global = true;
        options.strict = false;
        options.filename = Some(url.clone());
        if ctx
            .eval_with_options::<(), _>(source.as_str(), options)
            .is_err()
        {
            let e = ctx.catch();
            return Err(Error::Type(format!(
                "the init script {url} failed: {}",
                describe_exception(ctx, &e)
            )));
        }
        Ok(())
    })
}

/// A global function `name(arg)`: `arg` is converted to a string, `f` runs on the global's
/// thread, and its `Ok` string is returned; its `Err` message is thrown as an `Error`.
pub fn host_function(name: String, f: HostFunction) -> SetupHook {
    Box::new(move |ctx| {
        let call = rquickjs::Function::new(
            ctx.clone(),
            move |ctx: rquickjs::Ctx<'_>,
                  arg: rquickjs::function::Opt<rquickjs::Coerced<String>>|
                  -> rquickjs::Result<String> {
                let arg = arg.0.map(|a| a.0).unwrap_or_default();
                f(arg).map_err(|message| {
                    match rquickjs::Exception::from_message(ctx.clone(), &message) {
                        Ok(e) => ctx.throw(e.into_value()),
                        Err(e) => e,
                    }
                })
            },
        )?;
        ctx.globals().set(name.as_str(), call)?;
        Ok(())
    })
}
