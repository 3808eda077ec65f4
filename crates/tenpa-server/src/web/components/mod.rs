//! The pieces pages are built from, each written once: dates and times in UK form, tags for a
//! plan's state, a finding's severity and a criterion, the design system's form errors and
//! banners, summary lists and tables, the editor's rows that open in place, an assessment's figures
//! with their labels, and a plan's week as a grid. A page composes these; it does not write their
//! markup again.

mod dates;
mod figures;
mod forms;
mod rows;
mod summary;
mod table;
mod tags;
mod week;

pub use self::dates::{day, long_date, weekday_date, when};
pub use self::figures::{pa_figures, pay_components, PaFigure};
pub use self::forms::{error_message, error_of, error_summary, group_class, success_banner};
pub use self::rows::{editable_row, editable_rows_head};
pub use self::summary::{
    summary_list, summary_row, summary_row_action, summary_row_id, summary_rows, summary_rows_id,
};
pub use self::table::HtmlTable;
pub use self::tags::{met_tag, severity_tag, status_label, status_tag};
pub use self::week::{
    employer_key, grid_key, grid_model, week_grid, GridActivity, GridCell, GridModel,
};
