//! <https://console.spec.whatwg.org/>: the `console` namespace, routed to the `log` crate
//! (target `console`) and to the embedder's event channel.

use crate::dom::bindings::codegen::consoleBinding::consoleMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::{ConsoleTimeOp, GlobalScope};
use log::Level;

/// The `console` namespace object's operations.
#[allow(non_camel_case_types)]
pub struct console;

/// <https://console.spec.whatwg.org/#formatter>: `%s %d %i %f %o %O %c %%` in a leading
/// string, then the remaining arguments separated by spaces.
pub fn format_args<'js>(ctx: &Ctx<'js>, data: &[Value<'js>]) -> String {
    let mut out = String::new();
    let mut rest = data;
    if let Some(first) = data.first().filter(|v| v.is_string()) {
        let format = conv::display_value(first);
        rest = &data[1..];
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.peek().copied() {
                Some('%') => {
                    chars.next();
                    out.push('%');
                }
                Some(spec @ ('s' | 'd' | 'i' | 'f' | 'o' | 'O' | 'c')) => {
                    chars.next();
                    let Some((arg, tail)) = rest.split_first() else {
                        out.push('%');
                        out.push(spec);
                        continue;
                    };
                    rest = tail;
                    match spec {
                        'c' => {}
                        'd' | 'i' => {
                            let n = conv::to_number(ctx, arg).unwrap_or(f64::NAN);
                            out.push_str(&conv::format_number(n.trunc()));
                        }
                        'f' => {
                            let n = conv::to_number(ctx, arg).unwrap_or(f64::NAN);
                            out.push_str(&conv::format_number(n));
                        }
                        _ => out.push_str(&conv::display_value(arg)),
                    }
                }
                _ => out.push('%'),
            }
        }
    }
    for v in rest {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&conv::display_value(v));
    }
    out
}

fn print(cx: &Cx<'_>, level: Level, message: String) {
    match GlobalScope::current(&cx.ctx) {
        Some(g) => g.console_message(level, message),
        None => log::log!(target: "console", level, "{message}"),
    }
}

fn logger<'js>(cx: &Cx<'js>, level: Level, data: &[Value<'js>]) -> Fallible<()> {
    print(cx, level, format_args(&cx.ctx, data));
    Ok(())
}

impl<'js> consoleMethods<'js> for console {
    fn assert(cx: &Cx<'js>, condition: bool, data: Vec<Value<'js>>) -> Fallible<()> {
        if condition {
            return Ok(());
        }
        let message = format_args(&cx.ctx, &data);
        let message = if message.is_empty() {
            "Assertion failed".to_string()
        } else {
            format!("Assertion failed: {message}")
        };
        print(cx, Level::Error, message);
        Ok(())
    }
    fn clear(_cx: &Cx<'js>) -> Fallible<()> {
        Ok(())
    }
    fn debug(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        logger(cx, Level::Debug, &data)
    }
    fn error(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        logger(cx, Level::Error, &data)
    }
    fn info(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        logger(cx, Level::Info, &data)
    }
    fn log(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        logger(cx, Level::Info, &data)
    }
    fn table(
        cx: &Cx<'js>,
        tabular_data: Option<Value<'js>>,
        _properties: Option<Vec<DOMString>>,
    ) -> Fallible<()> {
        let data: Vec<Value> = tabular_data.into_iter().collect();
        logger(cx, Level::Info, &data)
    }
    fn trace(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        let message = format_args(&cx.ctx, &data);
        print(cx, Level::Info, format!("Trace: {message}"));
        Ok(())
    }
    fn warn(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        logger(cx, Level::Warn, &data)
    }
    fn dir(
        cx: &Cx<'js>,
        item: Option<Value<'js>>,
        _options: Option<Option<Object<'js>>>,
    ) -> Fallible<()> {
        let data: Vec<Value> = item.into_iter().collect();
        logger(cx, Level::Info, &data)
    }
    fn dirxml(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        logger(cx, Level::Info, &data)
    }
    fn count(cx: &Cx<'js>, label: DOMString) -> Fallible<()> {
        if let Some(g) = GlobalScope::current(&cx.ctx) {
            let n = g.console_count(&label, false).unwrap_or(0);
            g.console_message(Level::Info, format!("{label}: {n}"));
        }
        Ok(())
    }
    fn countReset(cx: &Cx<'js>, label: DOMString) -> Fallible<()> {
        if let Some(g) = GlobalScope::current(&cx.ctx) {
            if g.console_count(&label, true).is_none() {
                g.console_message(Level::Warn, format!("Count for '{label}' does not exist"));
            }
        }
        Ok(())
    }
    fn group(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        if !data.is_empty() {
            logger(cx, Level::Info, &data)?;
        }
        if let Some(g) = GlobalScope::current(&cx.ctx) {
            g.console_group(1);
        }
        Ok(())
    }
    fn groupCollapsed(cx: &Cx<'js>, data: Vec<Value<'js>>) -> Fallible<()> {
        Self::group(cx, data)
    }
    fn groupEnd(cx: &Cx<'js>) -> Fallible<()> {
        if let Some(g) = GlobalScope::current(&cx.ctx) {
            g.console_group(-1);
        }
        Ok(())
    }
    fn time(cx: &Cx<'js>, label: DOMString) -> Fallible<()> {
        if let Some(g) = GlobalScope::current(&cx.ctx) {
            g.console_time(&label, ConsoleTimeOp::Start);
        }
        Ok(())
    }
    fn timeLog(cx: &Cx<'js>, label: DOMString, data: Vec<Value<'js>>) -> Fallible<()> {
        if let Some(g) = GlobalScope::current(&cx.ctx) {
            match g.console_time(&label, ConsoleTimeOp::Log) {
                Some(d) => {
                    let extra = format_args(&cx.ctx, &data);
                    let ms = d.as_secs_f64() * 1000.0;
                    g.console_message(
                        Level::Info,
                        format!("{label}: {ms:.3} ms {extra}")
                            .trim_end()
                            .to_string(),
                    );
                }
                None => g.console_message(Level::Warn, format!("Timer '{label}' does not exist")),
            }
        }
        Ok(())
    }
    fn timeEnd(cx: &Cx<'js>, label: DOMString) -> Fallible<()> {
        if let Some(g) = GlobalScope::current(&cx.ctx) {
            match g.console_time(&label, ConsoleTimeOp::End) {
                Some(d) => {
                    let ms = d.as_secs_f64() * 1000.0;
                    g.console_message(Level::Info, format!("{label}: {ms:.3} ms"));
                }
                None => g.console_message(Level::Warn, format!("Timer '{label}' does not exist")),
            }
        }
        Ok(())
    }
}
