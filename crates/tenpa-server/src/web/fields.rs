//! Form fields in the design system's markup, each with its label, hint and error message: one
//! component per kind of field, for the pages that set up and keep the trust.

use crate::web::components::{error_message, error_of, group_class};
use maud::{html, Markup};

/// A field's errors and entered values, as (name, text) pairs.
pub type Pairs = [(String, String)];

/// What a field shows: its id (also its name), label and hint.
pub struct Field<'a> {
    /// The id and name.
    pub id: &'a str,
    /// The label.
    pub label: &'a str,
    /// A hint under the label; empty for none.
    pub hint: &'a str,
}

impl<'a> Field<'a> {
    /// A field named `id`.
    pub fn new(id: &'a str, label: &'a str, hint: &'a str) -> Field<'a> {
        Field { id, label, hint }
    }

    fn described_by(&self, error: Option<&str>) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    fn head(&self, error: Option<&str>) -> Markup {
        html! {
            label class="nhsuk-label" for=(self.id) { (self.label) }
            @if !self.hint.is_empty() {
                div class="nhsuk-hint" id=(format!("{}-hint", self.id)) { (self.hint) }
            }
            (error_message(self.id, error))
        }
    }

    /// A text input holding `value`; `kind` is the input's type (`text`, `password`, `date`).
    pub fn input(&self, kind: &str, value: &str, errors: &Pairs) -> Markup {
        let error = error_of(errors, self.id);
        let class = if error.is_some() {
            "nhsuk-input nhsuk-input--error"
        } else {
            "nhsuk-input"
        };
        let described = self.described_by(error);
        html! {
            div class=(group_class(error)) {
                (self.head(error))
                input class=(class) id=(self.id) name=(self.id) type=(kind) value=(value)
                    autocomplete=(if kind == "password" { "new-password" } else { "off" })
                    aria-describedby=[(!described.is_empty()).then_some(described.as_str())];
            }
        }
    }

    /// A select of `options` as (value, text), `selected` chosen.
    pub fn select(&self, options: &[(String, String)], selected: &str, errors: &Pairs) -> Markup {
        let error = error_of(errors, self.id);
        let class = if error.is_some() {
            "nhsuk-select nhsuk-select--error"
        } else {
            "nhsuk-select"
        };
        let described = self.described_by(error);
        html! {
            div class=(group_class(error)) {
                (self.head(error))
                select class=(class) id=(self.id) name=(self.id)
                    aria-describedby=[(!described.is_empty()).then_some(described.as_str())] {
                    @for (value, text) in options {
                        option value=(value) selected[value == selected] { (text) }
                    }
                }
            }
        }
    }

    /// Checkboxes, one per `options` entry as (value, text), those in `ticked` ticked.
    pub fn checkboxes(
        &self,
        options: &[(String, String)],
        ticked: &[&str],
        errors: &Pairs,
    ) -> Markup {
        let error = error_of(errors, self.id);
        html! {
            div class=(group_class(error)) id=(self.id) {
                fieldset class="nhsuk-fieldset" aria-describedby=(format!("{}-hint", self.id)) {
                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (self.label) }
                    div class="nhsuk-hint" id=(format!("{}-hint", self.id)) { (self.hint) }
                    (error_message(self.id, error))
                    div class="nhsuk-checkboxes" {
                        @for (i, (value, text)) in options.iter().enumerate() {
                            @let id = format!("{}-{i}", self.id);
                            div class="nhsuk-checkboxes__item" {
                                input class="nhsuk-checkboxes__input" id=(id) name=(self.id) type="checkbox" value=(value) checked[ticked.contains(&value.as_str())];
                                label class="nhsuk-label nhsuk-checkboxes__label" for=(id) { (text) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The value entered for `name`, empty when none.
pub fn entered<'a>(fields: &'a Pairs, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A form submission's error as the (field, message) pair an error summary lists: a 422 naming
/// its field is shown on `prefix` + that field; anything else is returned as it is.
pub fn field_error(
    e: crate::error::AppError,
    prefix: &str,
    fallback: &str,
) -> Result<(String, String), crate::error::AppError> {
    match e {
        crate::error::AppError::Unprocessable { field, message } => Ok((
            format!("{prefix}{}", field.as_deref().unwrap_or(fallback)),
            super::page::sentence(&message),
        )),
        e => Err(e),
    }
}
