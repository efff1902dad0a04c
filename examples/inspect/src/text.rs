//! Writing reports for a terminal: aligned tables (Hangul takes two
//! columns), colour only on a terminal.

use std::io::{self, Write};

use serde_json::Value;

use crate::check::Checked;
use crate::report::{Inspected, Shown};

/// ANSI styling, only when writing to a terminal.
#[derive(Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    fn outcome(self, word: &str, text: &str) -> String {
        let code = match word {
            "success" | "paid" => "32",
            "failure" | "failed" | "cancelled" => "31",
            _ => "33",
        };
        self.paint(code, text)
    }
}

impl Shown {
    pub fn text(&self) -> String {
        match self {
            Shown::Value(value) => shown(value),
            Shown::Redacted => "<redacted>".into(),
            Shown::Type(ty) => format!("<{ty}>"),
        }
    }
}

/// A value as compact JSON, long ones shortened.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 60 {
        return text;
    }
    let short: String = text.chars().take(57).collect();
    format!("{short}…")
}

/// Terminal columns of `text` (Hangul and other wide characters take two).
fn columns(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Pads `text` to `width` columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

fn is_wide(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FF60}')
}

/// Each input's table, then one summary line per input.
pub fn reports(
    out: &mut dyn Write,
    reports: &[(String, Result<Inspected, String>)],
    style: Style,
) -> io::Result<()> {
    for (file, result) in reports {
        writeln!(out, "{}", style.bold(file))?;
        let inspected = match result {
            Ok(inspected) => inspected,
            Err(e) => {
                writeln!(out, "  error: {e}\n")?;
                continue;
            }
        };
        let key_width = inspected
            .rows
            .iter()
            .map(|r| r.key.len())
            .max()
            .unwrap_or(0)
            .max(8);
        let value_width = inspected
            .rows
            .iter()
            .map(|r| columns(&r.value.text()))
            .max()
            .unwrap_or(0)
            .clamp(5, 61);
        let heading = match inspected.channel {
            crate::input::Channel::Callback | crate::input::Channel::Redirect => "presence",
            _ => "",
        };
        writeln!(
            out,
            "  {}",
            style.dim(&format!(
                "{} {} {heading}",
                pad("property", key_width),
                pad("value", value_width)
            ))
        )?;
        for row in &inspected.rows {
            writeln!(
                out,
                "  {} {} {}",
                pad(&row.key, key_width),
                pad(&row.value.text(), value_width),
                row.note
            )?;
        }
        writeln!(out, "  channel: {}", inspected.channel.name())?;
        writeln!(
            out,
            "  PG:      {} — {}",
            inspected.pg.as_deref().unwrap_or("none"),
            inspected.found_by
        )?;
        writeln!(
            out,
            "  outcome: {}",
            style.outcome(&inspected.outcome, &inspected.claim)
        )?;
        writeln!(out, "  next:    {}\n", inspected.next)?;
    }
    let file_width = reports
        .iter()
        .map(|(file, _)| columns(file))
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(out, "{}", style.bold(&format!("{} inputs", reports.len())))?;
    writeln!(
        out,
        "  {}",
        style.dim(&format!(
            "{} {} {} {} unknown keys",
            pad("file", file_width),
            pad("channel", 8),
            pad("PG", 14),
            pad("outcome", 9)
        ))
    )?;
    for (file, result) in reports {
        let (channel, pg, outcome, unknown) = match result {
            Ok(inspected) => (
                inspected.channel.name(),
                inspected.code.clone().unwrap_or_else(|| "-".into()),
                inspected.outcome.clone(),
                inspected.unknown_keys.join(", "),
            ),
            Err(_) => ("-", "-".into(), "error".into(), String::new()),
        };
        writeln!(
            out,
            "  {} {} {} {} {}",
            pad(file, file_width),
            pad(channel, 8),
            pad(&pg, 14),
            pad(&outcome, 9),
            if unknown.is_empty() { "-" } else { &unknown }
        )?;
    }
    Ok(())
}

/// Each sample's disagreements with the schema, then their count.
pub fn checked(out: &mut dyn Write, file: &str, checked: &Checked, style: Style) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{file} (`{}`) against {} samples",
            checked.code,
            checked.samples.len()
        ))
    )?;
    for (sample, claim, found) in &checked.samples {
        writeln!(
            out,
            "  {} {}",
            sample,
            style.dim(&format!("(claims {})", claim.word()))
        )?;
        if found.is_empty() {
            writeln!(out, "    agrees")?;
        }
        for disagreement in found {
            writeln!(out, "    {}", disagreement.detail)?;
        }
    }
    let count = checked.count();
    writeln!(
        out,
        "{}",
        match count {
            0 => "no disagreements".to_owned(),
            1 => "1 disagreement".to_owned(),
            n => format!("{n} disagreements"),
        }
    )
}
