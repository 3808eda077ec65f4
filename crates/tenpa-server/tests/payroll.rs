//! The payroll export on a trust set up from empty (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set): monthly shares, the change since the previous export, and
//! the arrears of a plan signed off three months after it took effect, to the penny.

mod common;

use serde_json::{json, Value};
use tenpa_rules::Parameters;
use tenpa_server::service::organisation::{self, NewDepartment, NewEmployer};
use tenpa_server::service::payroll::export;
use tenpa_store::{NewVersion, StaffChange, StaffRecord, Store};

/// A 10-PA plan at point 3 (£75,893.00 a year in 2026/27, the 2005/06 scale holding, PAY-2), from
/// `from`; with `extra`, one extra PA on Tuesday evenings (£7,589.30 a year, F 6).
fn plan(from: &str, extra: bool) -> Value {
    let mut activities: Vec<Value> = [("mon", "dcc"), ("tue", "dcc"), ("wed", "dcc"), ("thu", "spa"), ("fri", "dcc")]
        .iter()
        .map(|(day, category)| json!({"day": day, "start": "08:00", "end": "16:00", "category": category}))
        .collect();
    if extra {
        activities.push(json!({"day": "tue", "start": "16:00", "end": "20:00", "category": "dcc", "extra": true}));
    }
    json!({
        "consultant": {"id": "70000001", "name": "Dr Pay Roll", "first_appointed": "2015-09-01", "nation": "england"},
        "job_plan": {"effective_from": from, "contracted_pas": 10},
        "pay": {"point": 3},
        "activity": activities,
    })
}

async fn trust() -> (Store, i64) {
    let db = common::fresh_db_url().await;
    let store = Store::connect(&db).await.expect("store");
    organisation::add_employer(
        &store,
        "test",
        &NewEmployer {
            name: "Northshire NHS Trust".into(),
            kind: "trust".into(),
            nation: "england".into(),
        },
    )
    .await
    .expect("employer");
    let d = organisation::add_department(
        &store,
        "test",
        &NewDepartment {
            name: "Surgery".into(),
            employer_id: None,
            specialty: String::new(),
        },
    )
    .await
    .expect("department");
    store
        .apply_establishment(
            "test",
            &[StaffChange::Create(StaffRecord {
                assignment_number: "70000001".into(),
                name: "Dr Pay Roll".into(),
                gmc_number: None,
                department_id: d.id,
                contracted_pas: Some("10".into()),
                first_appointed: "2015-09-01".parse().unwrap(),
                start_date: None,
                sex: None,
            })],
            &[],
            "0",
        )
        .await
        .expect("record");
    (store, d.id)
}

async fn signed_off(store: &Store, department: i64, document: &Value) {
    let params = Parameters::embedded();
    let text = document.to_string();
    let plan = tenpa_rules::parse_document(
        "plan.json",
        text.as_bytes(),
        tenpa_rules::Format::Json,
        params,
    )
    .expect("a job plan");
    let assessment = tenpa_rules::evaluate(&plan, params, None).expect("an assessment");
    store
        .create_job_plan(
            "test",
            "70000001",
            department,
            &NewVersion {
                status: tenpa_rules::job_planning::Status::SignedOff,
                action: "md_sign_off",
                note: "",
                document,
                assessment: &assessment,
                referral_alternate: None,
                sign_off: None,
            },
        )
        .await
        .expect("plan");
}

/// The CSV's lines as (element, kind, month, amount, superannuable, change).
fn rows(csv: &str) -> Vec<(String, String, String, String, String, String)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[2].into(),
                f[3].into(),
                f[4].into(),
                f[5].into(),
                f[6].into(),
                f[7].into(),
            )
        })
        .collect()
}

fn row(
    element: &str,
    kind: &str,
    month: &str,
    amount: &str,
    sup: &str,
    change: &str,
) -> (String, String, String, String, String, String) {
    (
        element.into(),
        kind.into(),
        month.into(),
        amount.into(),
        sup.into(),
        change.into(),
    )
}

/// Source: issue brief — a plan signed off with an effective date in the past: the export carries
/// the arrears month by month, each at the figures in force in that month; monthly amounts add up
/// to the yearly figure; the same export again is the same file; months go in order.
///
/// Worked by hand: basic salary £75,893.00 = 7,589,300p a year, /12 = 632,441 remainder 8, so
/// April to November are £6,324.42 and December to March £6,324.41. Extra PAs £7,589.30 =
/// 758,930p, /12 = 63,244 remainder 2: April and May £632.45, June onwards £632.44. Plan A (no
/// extra PA) from 1 April 2026 is exported for April to July. Plan B (one extra PA) from 16 May
/// 2026 is signed off in August. August pays basic £6,324.42 (no change) and extra PAs £632.44
/// (a change of £632.44); the arrears are extra PAs for 16 of May's 31 days, 63,245 × 16 / 31 =
/// 32,642.58 → £326.43, and £632.44 for each of June and July: £1,591.31 in all. May's basic is
/// the same under both plans and is not touched.
#[tokio::test]
async fn a_late_sign_off_is_paid_with_its_arrears_to_the_penny() {
    let (store, department) = trust().await;
    let params = Parameters::embedded();
    signed_off(&store, department, &plan("2026-04-01", false)).await;

    let april = export(&store, params, "staffing", "2026-04")
        .await
        .expect("April");
    assert!(april.made);
    assert_eq!(
        rows(&april.csv),
        vec![row(
            "basic_salary",
            "pay",
            "2026-04",
            "6324.42",
            "yes",
            "6324.42"
        )]
    );
    for month in ["2026-05", "2026-06", "2026-07"] {
        let e = export(&store, params, "staffing", month)
            .await
            .expect(month);
        assert_eq!(
            rows(&e.csv),
            vec![row("basic_salary", "pay", month, "6324.42", "yes", "0.00")]
        );
    }

    signed_off(&store, department, &plan("2026-05-16", true)).await;
    let august = export(&store, params, "staffing", "2026-08")
        .await
        .expect("August");
    assert_eq!(
        rows(&august.csv),
        vec![
            row("basic_salary", "pay", "2026-08", "6324.42", "yes", "0.00"),
            row("extra_pas", "pay", "2026-08", "632.44", "no", "632.44"),
            row("extra_pas", "arrears", "2026-05", "326.43", "no", ""),
            row("extra_pas", "arrears", "2026-06", "632.44", "no", ""),
            row("extra_pas", "arrears", "2026-07", "632.44", "no", ""),
        ]
    );
    assert_eq!(august.export.total_pence, 632_442 + 63_244 + 159_131);

    // Asked again: the same bytes, not made again; an earlier month's stored file likewise.
    let again = export(&store, params, "someone else", "2026-08")
        .await
        .expect("again");
    assert!(!again.made);
    assert_eq!(
        (again.csv.as_bytes(), again.xlsx.as_slice()),
        (august.csv.as_bytes(), august.xlsx.as_slice())
    );
    let june = export(&store, params, "x", "2026-06").await.expect("June");
    assert_eq!(rows(&june.csv)[0].2, "2026-06");
    // September: the arrears were paid in August, so none again.
    let september = export(&store, params, "staffing", "2026-09")
        .await
        .expect("September");
    assert_eq!(rows(&september.csv).len(), 2, "{}", september.csv);
    // Months go in order, each once.
    match export(&store, params, "staffing", "2026-03").await {
        Err(tenpa_server::error::AppError::Unprocessable { field, .. }) => {
            assert_eq!(field.as_deref(), Some("period"))
        }
        Err(e) => panic!("expected 422 naming period, got {e:?}"),
        Ok(_) => panic!("a month before the latest exported was made"),
    }
    assert!(export(&store, params, "staffing", "2026-13").await.is_err());
    let audit = store
        .audit_for("payroll", "2026-08", 5)
        .await
        .expect("audit");
    assert_eq!(audit.len(), 1, "one export, audited once");
    assert!(audit[0]
        .after
        .as_deref()
        .unwrap_or("")
        .contains(&august.export.sha256));
}

/// Source: the reading "Pay to payroll" — over a pay year the monthly amounts add up to the
/// yearly figure of each element.
#[tokio::test]
async fn a_pay_year_of_exports_adds_up_to_the_yearly_figures() {
    let (store, department) = trust().await;
    let params = Parameters::embedded();
    signed_off(&store, department, &plan("2026-04-01", true)).await;
    let mut basic = 0;
    let mut extra = 0;
    let mut month = "2026-04".to_string();
    for _ in 0..12 {
        let e = export(&store, params, "staffing", &month)
            .await
            .expect(&month);
        for (element, kind, _, amount, _, _) in rows(&e.csv) {
            assert_eq!(kind, "pay");
            let pence: i64 = amount.replace('.', "").parse().unwrap();
            match element.as_str() {
                "basic_salary" => basic += pence,
                "extra_pas" => extra += pence,
                other => panic!("{other}"),
            }
        }
        let next = tenpa_server::service::payroll::Month::parse("m", &month)
            .unwrap()
            .next();
        month = next.to_string();
    }
    assert_eq!((basic, extra), (7_589_300, 758_930));
}

/// Source: issue brief — medical staffing exports a month on the payroll page and through the
/// API, and downloads the files as made; nobody else may.
#[tokio::test]
async fn medical_staffing_exports_on_the_page_and_through_the_api() {
    use common::crawl::{csrf, serve, sign_in};
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;
    let html = ms
        .get(format!("{base}/payroll"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("No month has been exported yet"), "{html}");
    let token = csrf(&html).unwrap();
    let r = ms
        .post(format!("{base}/payroll"))
        .form(&[("csrf", token.as_str()), ("payroll-period", "April")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#payroll-period\""));
    let r = ms
        .post(format!("{base}/payroll"))
        .form(&[("csrf", token.as_str()), ("payroll-period", "2026-04")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let page_csv = ms
        .get(format!("{base}/payroll/2026-04/csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page_csv.starts_with("consultant_id,name,element,kind,month,amount,superannuable,change"),
        "{page_csv}"
    );
    assert!(
        page_csv.lines().count() > 1,
        "the demo trust has signed-off plans: {page_csv}"
    );

    let r = ms
        .post(format!("{base}/api/v1/payroll-exports"))
        .json(&json!({"period": "2026-04"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        200,
        "exported already: the stored export"
    );
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["made"], false);
    let r = ms
        .post(format!("{base}/api/v1/payroll-exports"))
        .json(&json!({"period": "2026-05"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let api_csv = ms
        .get(format!("{base}/api/v1/payroll-exports/2026-04/csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(api_csv, page_csv, "the same file");
    let xlsx = ms
        .get(format!("{base}/api/v1/payroll-exports/2026-04/xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let list: Value = ms
        .get(format!("{base}/api/v1/payroll-exports"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["period"], "2026-05");
    assert_eq!(
        ms.get(format!("{base}/api/v1/payroll-exports/2026-06/csv"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );

    let md = sign_in(&base, "medical.director").await;
    assert_eq!(
        md.get(format!("{base}/payroll"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        md.get(format!("{base}/api/v1/payroll-exports/2026-04/csv"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
}
