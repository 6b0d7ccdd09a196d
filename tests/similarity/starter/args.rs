//! Given to every learner with the exercise: command-line options and CSV fields, so that the
//! ports agree with the original on what they accept.
#![allow(dead_code)]

use std::collections::BTreeMap;

/// Options of the form `--name value` or `--flag`, and the positional arguments in order.
pub struct Options {
    pub named: BTreeMap<String, Option<String>>,
    pub positional: Vec<String>,
}

impl Options {
    pub fn parse(args: &[String], flags: &[&str]) -> Result<Options, String> {
        let mut named = BTreeMap::new();
        let mut positional = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if let Some(name) = a.strip_prefix("--") {
                if flags.contains(&name) {
                    named.insert(name.to_string(), None);
                } else if i + 1 < args.len() {
                    named.insert(name.to_string(), Some(args[i + 1].clone()));
                    i += 1;
                } else {
                    return Err(format!("option --{} needs a value", name));
                }
            } else {
                positional.push(a.clone());
            }
            i += 1;
        }
        Ok(Options { named, positional })
    }

    pub fn flag(&self, name: &str) -> bool {
        self.named.contains_key(name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.named.get(name).and_then(|v| v.as_deref())
    }

    pub fn number(&self, name: &str, default: f64) -> Result<f64, String> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<f64>()
                .map_err(|_| format!("option --{}: '{}' is not a number", name, text)),
        }
    }
}

/// Splits one CSV line into fields: commas separate, double quotes group, "" is a quote.
pub fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (other, _) => cur.push(other),
        }
    }
    fields.push(cur);
    fields
}
