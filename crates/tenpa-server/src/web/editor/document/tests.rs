//! Tests of merging the editor's fields into the document and of naming the field behind an
//! error.

use super::*;
use crate::service::assessments::read_document;
use crate::web::editor::ActivityInput;
use crate::web::page::FormData;
fn stored() -> Value {
    json!({
        "consultant": {"id": "c-1", "name": "Dr A", "first_appointed": "2003-09-01"},
        "job_plan": {"effective_from": "2005-04-01", "contracted_pas": "10", "cycle_weeks": 1, "out_of_hours_recognition": "time"},
        "pay": {"point": 3, "cea_level": 0},
        "activity": [
            {"day": "mon", "start": "08:00", "end": "12:00", "category": "dcc", "title": "Clinic", "location": "Main", "extra": false, "weeks": [], "off_site": false, "predictable_emergency": true},
            {"day": "tue", "start": "09:00", "end": "13:00", "category": "spa", "title": "Audit", "location": "", "extra": false, "weeks": []}
        ],
        "travel": [{"kind": "between_sites", "hours": "1"}],
        "previous_review": {"on_call_pas": "1"}
    })
}

fn form(pairs: &[(&str, &str)]) -> FormData {
    FormData(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("version", "4"),
        ("effective_from", "2006-04-01"),
        ("contracted_pas", "7.5"),
        ("cycle_weeks", "1"),
        ("out_of_hours_recognition", "premium"),
        ("premium_mutually_agreed", "yes"),
        ("pay_point", "5"),
        ("cea_level", "2"),
        ("activities", "2"),
        ("a0-orig", "0"),
        ("a0-day", "wed"),
        ("a0-start", "13:00"),
        ("a0-end", "17:00"),
        ("a0-category", "dcc"),
        ("a0-title", "Theatre"),
        ("a0-location", "Theatre 3"),
        ("a1-orig", "1"),
        ("a1-day", "tue"),
        ("a1-start", "09:00"),
        ("a1-end", "13:00"),
        ("a1-category", "spa"),
        ("a1-title", "Audit"),
        ("a1-location", ""),
        ("on_call", "yes"),
        ("rota_size", "6"),
        ("on_call_category", "b"),
        ("emergency_hours_plain", "2"),
        ("emergency_hours_premium", "1.5"),
        ("note", "moved theatre"),
    ]
}

#[test]
fn the_form_makes_the_document_keeping_what_it_does_not_show() {
    let input = EditorInput::from_form(&form(&base()));
    assert_eq!(input.note, "moved theatre");
    let (doc, map) = input.to_document(&stored()).unwrap();
    assert_eq!(map.activities, vec![0, 1]);
    assert_eq!(doc["job_plan"]["effective_from"], "2006-04-01");
    assert_eq!(doc["job_plan"]["contracted_pas"], json!(7.5));
    assert_eq!(doc["job_plan"]["out_of_hours_recognition"], "premium");
    assert_eq!(doc["job_plan"]["premium_mutually_agreed"], true);
    assert_eq!(doc["pay"]["point"], 5);
    assert_eq!(doc["pay"]["cea_level"], 2);
    assert_eq!(doc["activity"][0]["day"], "wed");
    assert_eq!(doc["activity"][0]["title"], "Theatre");
    // Fields the editor does not show are kept: the activity's own and the document's.
    assert_eq!(doc["activity"][0]["predictable_emergency"], true);
    assert_eq!(doc["consultant"]["id"], "c-1");
    assert_eq!(doc["travel"][0]["kind"], "between_sites");
    assert_eq!(doc["previous_review"]["on_call_pas"], "1");
    assert_eq!(
        doc["on_call"],
        json!({"rota_size": 6, "category": "b", "emergency_hours_plain": 2, "emergency_hours_premium": 1.5})
    );
    // The document is one the rules read.
    let bytes = serde_json::to_vec(&doc).unwrap();
    let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
    assert_eq!(parsed.activities.len(), 2);
    assert!(parsed.activities[0].predictable_emergency);
}

#[test]
fn an_existing_award_is_recorded_kept_when_not_shown_removed_and_checked() {
    let mut fields = base();
    fields.extend([
        ("existing_award_kind", "distinction_award"),
        ("existing_award_amount", "20000.50"),
    ]);
    let (doc, _) = EditorInput::from_form(&form(&fields))
        .to_document(&stored())
        .unwrap();
    assert_eq!(
        doc["pay"]["existing_award"],
        json!({"kind": "distinction_award", "amount": 20000.5})
    );
    let back = EditorInput::from_document(&doc, 1);
    assert_eq!(
        back.existing_award_kind.as_deref(),
        Some("distinction_award")
    );
    assert_eq!(back.existing_award_amount, "20000.5");
    let bytes = serde_json::to_vec(&doc).unwrap();
    let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
    assert_eq!(
        parsed.pay.existing_award.map(|e| e.amount.0.to_string()),
        Some("20000.5".into())
    );
    // A form that does not show it keeps it; "None" removes it.
    let (kept, _) = EditorInput::from_form(&form(&base()))
        .to_document(&doc)
        .unwrap();
    assert_eq!(kept["pay"]["existing_award"], doc["pay"]["existing_award"]);
    let mut none = base();
    none.push(("existing_award_kind", ""));
    let (removed, _) = EditorInput::from_form(&form(&none))
        .to_document(&doc)
        .unwrap();
    assert!(removed["pay"].get("existing_award").is_none());
    // An amount that is not a number, and a kind that is not one, land on their fields.
    for (kind, amount, field) in [
        ("discretionary_points", "lots", "existing_award_amount"),
        ("merit_award", "9000", "existing_award_kind"),
    ] {
        let mut bad = base();
        bad.extend([
            ("existing_award_kind", kind),
            ("existing_award_amount", amount),
        ]);
        let errors = EditorInput::from_form(&form(&bad))
            .to_document(&stored())
            .unwrap_err();
        assert!(
            errors.iter().any(|(f, _)| f == field),
            "{kind} {amount}: {errors:?}"
        );
    }
}

#[test]
fn short_intervals_during_on_call_are_recorded_read_back_kept_and_removed() {
    let mut fields = base();
    fields.push(("on_call_intervals", "agreed"));
    let (doc, _) = EditorInput::from_form(&form(&fields))
        .to_document(&stored())
        .unwrap();
    assert_eq!(
        doc["on_call"]["short_intervals"],
        json!({"agreed_with_employer": true, "messages_taken": false})
    );
    assert_eq!(
        EditorInput::from_document(&doc, 1)
            .on_call_intervals
            .as_deref(),
        Some("agreed")
    );
    let bytes = serde_json::to_vec(&doc).unwrap();
    let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
    assert!(parsed
        .on_call
        .and_then(|o| o.short_intervals)
        .is_some_and(|s| s.agreed_with_employer && !s.messages_taken));
    // Not shown: kept; contactable throughout: removed; not a choice: an error on the field.
    let (kept, _) = EditorInput::from_form(&form(&base()))
        .to_document(&doc)
        .unwrap();
    assert_eq!(
        kept["on_call"]["short_intervals"],
        doc["on_call"]["short_intervals"]
    );
    let mut throughout = base();
    throughout.push(("on_call_intervals", ""));
    let (removed, _) = EditorInput::from_form(&form(&throughout))
        .to_document(&doc)
        .unwrap();
    assert!(removed["on_call"].get("short_intervals").is_none());
    let mut bad = base();
    bad.push(("on_call_intervals", "sometimes"));
    let errors = EditorInput::from_form(&form(&bad))
        .to_document(&stored())
        .unwrap_err();
    assert!(errors.iter().any(|(f, _)| f == "on_call_intervals"));
    // Off the rota with recalls recorded, the intervals go with the rota.
    let mut off = base();
    off.retain(|(k, _)| *k != "on_call");
    let mut with_recalls = doc.clone();
    with_recalls["on_call"]["recalls_per_year"] = json!(8);
    let (off_rota, _) = EditorInput::from_form(&form(&off))
        .to_document(&with_recalls)
        .unwrap();
    assert_eq!(off_rota["on_call"]["rota_size"], 0);
    assert!(off_rota["on_call"].get("short_intervals").is_none());
}

#[test]
fn an_external_dutys_day_of_agreement_is_kept_with_the_duty_and_dropped_with_its_category() {
    let mut stored = stored();
    stored["activity"][1]["category"] = json!("external_duty");
    stored["activity"][1]["agreed_on"] = json!("2005-03-01");
    let mut fields = base();
    fields.retain(|(k, _)| *k != "a1-category");
    fields.push(("a1-category", "external_duty"));
    let (kept, _) = EditorInput::from_form(&form(&fields))
        .to_document(&stored)
        .unwrap();
    assert_eq!(kept["activity"][1]["agreed_on"], "2005-03-01");
    let (dropped, _) = EditorInput::from_form(&form(&base()))
        .to_document(&stored)
        .unwrap();
    assert_eq!(dropped["activity"][1]["category"], "spa");
    assert!(dropped["activity"][1].get("agreed_on").is_none());
    let bytes = serde_json::to_vec(&dropped).unwrap();
    assert!(read_document(&bytes, tenpa_rules::Parameters::embedded(), "").is_ok());
}

#[test]
fn leave_is_edited_kept_when_not_shown_removed_and_checked() {
    let mut fields = base();
    fields.extend([
        ("leave_periods", "2"),
        ("l0-orig", ""),
        ("l0-kind", "study"),
        ("l0-from", "2006-07-03"),
        ("l0-to", ""),
        ("l0-agreed_on", "2006-05-01"),
        ("l1-orig", ""),
        ("l1-kind", "annual"),
        ("l1-from", ""),
        ("l1-to", ""),
        ("l1-agreed_on", ""),
    ]);
    let (doc, map) = EditorInput::from_form(&form(&fields))
        .to_document(&stored())
        .unwrap();
    // The blank second period is dropped; the first is written as the rules read it.
    assert_eq!(map.leave, vec![0]);
    assert_eq!(
        doc["leave"],
        json!([{ "kind": "study", "from": "2006-07-03", "agreed_on": "2006-05-01" }])
    );
    let bytes = serde_json::to_vec(&doc).unwrap();
    let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
    assert_eq!(parsed.leave.len(), 1);
    let back = EditorInput::from_document(&doc, 1).leave.unwrap();
    assert_eq!(
        (back[0].kind.as_str(), back[0].from.as_str()),
        ("study", "2006-07-03")
    );
    // A form without the leave count keeps it; a deleted period removes the list.
    let (kept, _) = EditorInput::from_form(&form(&base()))
        .to_document(&doc)
        .unwrap();
    assert_eq!(kept["leave"], doc["leave"]);
    let mut delete = base();
    delete.extend([
        ("leave_periods", "1"),
        ("l0-orig", "0"),
        ("l0-kind", "study"),
        ("l0-from", "2006-07-03"),
        ("l0-delete", "yes"),
    ]);
    let (removed, _) = EditorInput::from_form(&form(&delete))
        .to_document(&doc)
        .unwrap();
    assert!(removed.get("leave").is_none());
    // A date that is not one, and a kind that is not one, land on their fields.
    let mut bad = base();
    bad.extend([
        ("leave_periods", "1"),
        ("l0-kind", "sabbatical"),
        ("l0-from", "3 July"),
    ]);
    let errors = EditorInput::from_form(&form(&bad))
        .to_document(&stored())
        .unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["l0-kind", "l0-from"]);
}

#[test]
fn a_part_timers_on_call_responsibilities_are_recorded_and_read_back() {
    let mut fields = base();
    fields.push(("on_call_responsibilities", "different"));
    let (doc, _) = EditorInput::from_form(&form(&fields))
        .to_document(&stored())
        .unwrap();
    assert_eq!(doc["on_call"]["same_responsibilities_as_full_time"], false);
    assert_eq!(
        EditorInput::from_document(&doc, 1).on_call_responsibilities,
        "different"
    );
    let bytes = serde_json::to_vec(&doc).unwrap();
    let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
    assert_eq!(
        parsed
            .on_call
            .and_then(|o| o.same_responsibilities_as_full_time),
        Some(false)
    );
    // Not recorded: the field is removed, not kept from before.
    let (again, _) = EditorInput::from_form(&form(&base()))
        .to_document(&doc)
        .unwrap();
    assert!(again["on_call"]
        .get("same_responsibilities_as_full_time")
        .is_none());
}

#[test]
fn a_deleted_activity_leaves_the_document_and_off_rota_removes_on_call() {
    let mut pairs = base();
    pairs.push(("a0-delete", "yes"));
    pairs.retain(|(k, _)| *k != "on_call");
    pairs.push(("on_call", "no"));
    let (doc, map) = EditorInput::from_form(&form(&pairs))
        .to_document(&stored())
        .unwrap();
    assert_eq!(map.activities, vec![1]);
    assert_eq!(doc["activity"].as_array().unwrap().len(), 1);
    assert_eq!(doc["activity"][0]["title"], "Audit");
    assert!(doc.get("on_call").is_none());
}

#[test]
fn a_bad_time_is_an_error_naming_the_field() {
    let mut pairs = base();
    pairs.retain(|(k, _)| *k != "a1-end");
    pairs.push(("a1-end", "25:00"));
    pairs.retain(|(k, _)| *k != "contracted_pas");
    pairs.push(("contracted_pas", "ten"));
    let errors = EditorInput::from_form(&form(&pairs))
        .to_document(&stored())
        .unwrap_err();
    assert!(errors
        .iter()
        .any(|(f, m)| f == "a1-end" && m.contains("Activity 2") && m.contains("end time")));
    assert!(errors.iter().any(|(f, _)| f == "contracted_pas"));
}

#[test]
fn document_errors_map_to_the_form_fields() {
    let map = FieldMap {
        activities: vec![0, 2],
        private: vec![1],
        leave: vec![3],
    };
    assert_eq!(field_of("activity[1].end", &map).0, "a2-end");
    assert_eq!(field_of("activity[1].agreed_on", &map).0, "a2-start");
    assert_eq!(field_of("private_session[0].fee", &map).0, "p1-fee");
    assert_eq!(field_of("private_session[0].on_call", &map).0, "p1-kind");
    assert_eq!(
        field_of("leave[0].to", &map),
        ("l3-to".to_string(), "Leave 4".to_string())
    );
    let none = FieldMap::default();
    assert_eq!(
        field_of("document.job_plan.contracted_pas", &none).0,
        "contracted_pas"
    );
    assert_eq!(field_of("on_call.category", &none).0, "on_call_category");
    let e = AppError::unprocessable_at("job_plan.cycle_weeks", "`cycle_weeks`: found 60".into());
    let (f, m) = document_error(e, &FieldMap::default()).unwrap();
    assert_eq!(f, "cycle_weeks");
    assert!(m.starts_with("Weeks in the cycle: "), "{m}");
}

/// The rules' field and message reach the editor as they gave them, and the API as the field and
/// the message, its detail the two together.
#[test]
fn a_rejected_document_names_the_rules_field_and_message() {
    let rejected = || Rejected::Document {
        prefix: "document.".into(),
        field: "activity[1].end".into(),
        message: "found \"25:00\", expected a time `HH:MM`".into(),
    };
    let map = FieldMap {
        activities: vec![0, 2],
        ..FieldMap::default()
    };
    let (f, m) = rejected_error(rejected(), &map).unwrap();
    assert_eq!(f, "a2-end");
    assert_eq!(m, "Activity 3: found \"25:00\", expected a time HH:MM");
    match AppError::from(rejected()) {
        e @ AppError::Unprocessable { .. } => {
            assert_eq!(
                e.client_detail().as_deref(),
                Some("document.activity[1].end: found \"25:00\", expected a time `HH:MM`")
            );
            let AppError::Unprocessable { field, message } = e else {
                unreachable!("matched above")
            };
            assert_eq!(field.as_deref(), Some("document.activity[1].end"));
            assert_eq!(message, "found \"25:00\", expected a time `HH:MM`");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_blank_new_activity_is_ignored_and_the_stored_document_round_trips() {
    let mut input = EditorInput::from_document(&stored(), 3);
    assert_eq!(input.version, "3");
    assert_eq!(input.activities.len(), 2);
    input.activities.push(ActivityInput {
        day: "mon".into(),
        category: "dcc".into(),
        ..Default::default()
    });
    let (doc, _) = input.to_document(&stored()).unwrap();
    assert_eq!(doc["activity"].as_array().unwrap().len(), 2);
    assert_eq!(doc["job_plan"]["contracted_pas"], json!(10));
}

/// Source: JP-5 (F 1(f), A 11.1): an activity's employer is chosen from the plan's employers;
/// an empty choice is the default employer; another id is refused on the field.
#[test]
fn an_activitys_employer_is_one_of_the_plans() {
    let mut stored = stored();
    stored["employer"] =
        json!([{"id": "n", "name": "North", "lead": true}, {"id": "s", "name": "South"}]);
    stored["activity"][1]["employer"] = json!("s");
    let input = EditorInput::from_document(&stored, 4);
    assert_eq!(input.activities[1].employer, "s");
    let mut pairs = base();
    pairs.push(("a0-employer", "s"));
    pairs.push(("a1-employer", ""));
    let (doc, _) = EditorInput::from_form(&form(&pairs))
        .to_document(&stored)
        .unwrap();
    assert_eq!(doc["activity"][0]["employer"], "s");
    assert!(doc["activity"][1].get("employer").is_none());
    assert_eq!(doc["employer"][1]["id"], "s", "the list is kept");
    let mut pairs = base();
    pairs.push(("a0-employer", "west"));
    let errors = EditorInput::from_form(&form(&pairs))
        .to_document(&stored)
        .unwrap_err();
    assert!(errors.iter().any(|(f, _)| f == "a0-employer"), "{errors:?}");
}

/// Source: PRV-3 to PRV-5 (D 3.8-3.18): the editor records private and fee-paying sessions;
/// a form that does not show them keeps the stored ones, and a fee is kept only for fee-paying
/// work.
#[test]
fn private_sessions_are_edited_kept_and_removed() {
    let mut stored = stored();
    stored["private_session"] =
        json!([{"day": "wed", "start": "18:00", "end": "21:00", "title": "Private clinic"}]);
    let input = EditorInput::from_document(&stored, 2);
    let sessions = input.private_sessions.as_ref().unwrap();
    assert_eq!(
        (sessions.len(), sessions[0].kind.as_str()),
        (1, "private_practice")
    );

    let (doc, _) = EditorInput::from_form(&form(&base()))
        .to_document(&stored)
        .unwrap();
    assert_eq!(
        doc["private_session"][0]["title"], "Private clinic",
        "kept when not shown"
    );

    let mut pairs = base();
    pairs.extend([
        ("private_sessions", "2"),
        ("p0-orig", "0"),
        ("p0-day", "fri"),
        ("p0-start", "14:00"),
        ("p0-end", "16:00"),
        ("p0-kind", "fee_paying"),
        ("p0-fee", "remitted"),
        ("p0-nhs_facilities", "yes"),
        ("p0-during_nhs_on_call", "yes"),
        ("p0-employer_approval", " Agreed by the clinical director "),
        ("p1-day", "mon"),
        ("p1-kind", "private_practice"),
        ("p1-fee", "retained"),
    ]);
    let (doc, map) = EditorInput::from_form(&form(&pairs))
        .to_document(&stored)
        .unwrap();
    let s = &doc["private_session"];
    assert_eq!(
        s.as_array().unwrap().len(),
        1,
        "the blank new session is ignored"
    );
    assert_eq!(
        (s[0]["fee_paying"].clone(), s[0]["fee"].clone()),
        (json!(true), json!("remitted"))
    );
    assert!(
        s[0].get("during_nhs_on_call").is_none(),
        "not for fee-paying work"
    );
    assert_eq!(s[0]["employer_approval"], "Agreed by the clinical director");
    assert_eq!(map.private, vec![0]);
    let bytes = serde_json::to_vec(&doc).unwrap();
    let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
    assert_eq!(
        parsed.private_sessions[0].fee,
        tenpa_rules::plan::Fee::Remitted
    );

    let mut pairs = base();
    pairs.extend([
        ("private_sessions", "1"),
        ("p0-orig", "0"),
        ("p0-delete", "yes"),
        ("p0-day", "wed"),
        ("p0-start", "18:00"),
        ("p0-end", "21:00"),
        ("p0-kind", "private_practice"),
    ]);
    let (doc, _) = EditorInput::from_form(&form(&pairs))
        .to_document(&stored)
        .unwrap();
    assert!(doc.get("private_session").is_none());

    let mut pairs = base();
    pairs.extend([
        ("private_sessions", "1"),
        ("p0-day", "wed"),
        ("p0-start", "6pm"),
        ("p0-end", "21:00"),
        ("p0-kind", "private_practice"),
    ]);
    let errors = EditorInput::from_form(&form(&pairs))
        .to_document(&stored)
        .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|(f, m)| f == "p0-start" && m.starts_with("Private session 1")),
        "{errors:?}"
    );
}

/// Source: JP-2 (A 6.1, A 8.2): accountability and supporting resources are edited, kept when
/// a form does not show them, and removed when emptied.
#[test]
fn accountability_and_resources_are_edited_and_kept() {
    let mut stored = stored();
    stored["job_plan"]["accountable_to"] = json!("Medical Director");
    let (doc, _) = EditorInput::from_form(&form(&base()))
        .to_document(&stored)
        .unwrap();
    assert_eq!(
        doc["job_plan"]["accountable_to"], "Medical Director",
        "kept when not shown"
    );
    let mut pairs = base();
    pairs.extend([
        ("accountable_to", ""),
        ("supporting_resources", " Office and secretary "),
    ]);
    let (doc, _) = EditorInput::from_form(&form(&pairs))
        .to_document(&stored)
        .unwrap();
    assert!(doc["job_plan"].get("accountable_to").is_none());
    assert_eq!(
        doc["job_plan"]["supporting_resources"],
        "Office and secretary"
    );
}
