//! A fake i'mport / PortOne V1 REST API for tests: it listens on
//! `127.0.0.1:0`, speaks the V1 envelope, and is driven from test code.
//!
//! It serves the V1 endpoints `portone_pg::client::Client` calls (the list,
//! endpoint by endpoint, is `COVERAGE.md` at the repository's root):
//! tokens (JSON or form; the same token until it expires, five more minutes
//! when asked in its last minute), payment lookups (test-channel payments
//! only with `include_sandbox=true`), prepare, cancel (checksum and balance
//! enforced, partial cancels, `cancel_history` with `cancellation_id`),
//! billing keys and their charges and schedules (run on the fake's clock),
//! virtual accounts, escrow deliveries, cash receipts, bank and card codes
//! and certifications — following the V1 API reference
//! ([spec](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml),
//! [token rules](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/api/rest-v1/_components/v1auth.mdx),
//! [cancel guide](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/integration/cancel/v1/basic.mdx)).
//! Its `message` texts are its own; codes follow the API: 0 for success,
//! non-zero refusals, HTTP 200 for a refused cancel. With the `window`
//! feature (default) it also serves a stand-in for the V1 browser SDK and
//! its payment window (`FakeApi::sdk_url`), and with `browser` a driver of
//! headless Chromium for tests of pages that pay through it (`browser`).
//!
//! Test controls: create payments (paid, virtual account awaiting deposit,
//! failed, test-channel), simulate a deposit, send webhooks (JSON or form),
//! expire or revoke the token, shift the server's clock, queue a [`Fault`]
//! for a route (slow, a bare 5xx, a reply lost after the action was
//! applied), and count requests per [`Route`].
//!
//! ```
//! use portone_pg_core::Amount;
//! use portone_pg_fake::{FakeApi, NewPayment, Route};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let fake = FakeApi::start().await?;
//! let imp_uid = fake.create(NewPayment::paid("order-1", Amount::from(1004))).unwrap();
//! // Point the client under test at fake.url() with fake.key() and fake.secret().
//! assert!(fake.url().starts_with("http://127.0.0.1:"));
//! assert_eq!(fake.requests(Route::Token), 0);
//! assert_eq!(fake.status(&imp_uid).as_deref(), Some("paid"));
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod billing;
#[cfg(feature = "browser")]
pub mod browser;
mod routes;
mod state;
mod webhook;
#[cfg(feature = "window")]
mod window;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use portone_pg_core::Amount;
use tokio::sync::Notify;

pub use state::ReceivedCancel;
use state::State;
pub use webhook::{WebhookDelivery, WebhookFormat};
use webhook::{WebhookStatus, WebhookTarget};
#[cfg(feature = "window")]
pub use window::{Decision, Profile, WindowEvent, WindowWebhook};

/// A route of the fake, for [`FakeApi::fail_next`] and [`FakeApi::requests`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// `POST /users/getToken`.
    Token,
    /// `GET /payments/{imp_uid}`.
    Payment,
    /// `GET /payments?imp_uid[]=…`.
    Payments,
    /// `GET /payments/find/{merchant_uid}[/{status}]`.
    Find,
    /// `GET /payments/findAll/{merchant_uid}[/{status}]`.
    FindAll,
    /// `POST /payments/prepare`.
    Prepare,
    /// `PUT /payments/prepare`.
    PrepareUpdate,
    /// `GET /payments/prepare/{merchant_uid}`.
    Prepared,
    /// `POST /payments/cancel`.
    Cancel,
    /// `DELETE /vbanks/{imp_uid}`.
    RevokeVbank,
    /// `GET|DELETE /certifications/{imp_uid}`.
    Certification,
    /// `POST|GET|DELETE /subscribe/customers/{customer_uid}`.
    BillingKey,
    /// `GET /subscribe/customers?customer_uid[]=…`.
    BillingKeys,
    /// `POST /subscribe/payments/again`.
    Again,
    /// `POST /subscribe/payments/onetime`.
    Onetime,
    /// `POST /subscribe/payments/schedule`.
    Schedule,
    /// `POST /subscribe/payments/unschedule`.
    Unschedule,
    /// `GET|PUT /subscribe/payments/schedule/{merchant_uid}`.
    Scheduled,
    /// `GET /subscribe/payments/schedule/customers/{customer_uid}`.
    CustomerSchedules,
    /// `GET /payments/status/{status}`.
    PaymentsByStatus,
    /// `GET /banks[/{code}]` and `GET /cards[/{code}]`.
    Codes,
    /// `POST /vbanks`.
    IssueVbank,
    /// `PUT /vbanks/{imp_uid}`.
    ChangeVbank,
    /// `GET|POST|PUT /escrows/logis/{imp_uid}`.
    Escrow,
    /// `GET|POST|DELETE /receipts/{imp_uid}` and
    /// `/receipts/external/{merchant_uid}`.
    Receipt,
    /// `GET /payments/{imp_uid}/balance`.
    Balance,
    /// `GET /vbanks/holder`.
    AccountHolder,
}

/// What goes wrong with the next request to a route.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long, then answer normally: with a client timeout shorter
    /// than this, the request times out after the action was applied.
    Slow(Duration),
    /// Answer this instead, with a `text/html` body; nothing is applied
    /// (a proxy's error page, a maintenance 503).
    Reply {
        /// The HTTP status.
        status: u16,
        /// The body, not JSON as a rule.
        body: String,
    },
    /// Apply the action, then answer this instead of the result: a cancel
    /// that happened although the client saw a 5xx.
    AppliedThenReply {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
    /// Apply the action, then hold the reply this long (bounded): a client
    /// with a shorter timeout never hears that it happened.
    AppliedThenLost(Duration),
}

/// What kind of payment [`FakeApi::create`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaymentKind {
    /// Approved: `status: paid`.
    Paid,
    /// A virtual account issued and awaiting its deposit: `status: ready`,
    /// `pay_method: vbank`.
    VbankReady,
    /// Failed: `status: failed` with a `fail_reason`.
    Failed,
}

/// A payment to create, as if a buyer had gone through the payment window.
#[derive(Clone, Debug)]
pub struct NewPayment {
    merchant_uid: String,
    amount: Amount,
    currency: String,
    kind: PaymentKind,
    pay_method: &'static str,
    pg_provider: String,
    name: String,
    sandbox: bool,
    escrow: bool,
    imp_uid: Option<String>,
    /// The billing key charged, for charges of a stored card.
    customer_uid: Option<String>,
}

impl NewPayment {
    fn new(kind: PaymentKind, merchant_uid: &str, amount: Amount) -> Self {
        NewPayment {
            merchant_uid: merchant_uid.to_owned(),
            amount,
            currency: "KRW".to_owned(),
            kind,
            pay_method: "card",
            pg_provider: "kcp".to_owned(),
            name: "주문명:결제테스트".to_owned(),
            sandbox: false,
            escrow: false,
            imp_uid: None,
            customer_uid: None,
        }
    }

    /// A card payment approved for `amount` KRW.
    pub fn paid(merchant_uid: &str, amount: Amount) -> Self {
        NewPayment::new(PaymentKind::Paid, merchant_uid, amount)
    }

    /// A virtual account issued for `amount`, awaiting the deposit
    /// ([`FakeApi::deposit`] pays it).
    pub fn vbank_ready(merchant_uid: &str, amount: Amount) -> Self {
        NewPayment::new(PaymentKind::VbankReady, merchant_uid, amount)
    }

    /// A failed payment.
    pub fn failed(merchant_uid: &str, amount: Amount) -> Self {
        NewPayment::new(PaymentKind::Failed, merchant_uid, amount)
    }

    /// Another currency than KRW.
    pub fn currency(mut self, currency: &str) -> Self {
        self.currency = currency.to_owned();
        self
    }

    /// Made through a test channel (`sandbox: true`): hidden from lookups
    /// without `include_sandbox=true`.
    pub fn sandbox(mut self) -> Self {
        self.sandbox = true;
        self
    }

    /// An escrow payment: its delivery is registered with
    /// `POST /escrows/logis/{imp_uid}`.
    pub fn escrow(mut self) -> Self {
        self.escrow = true;
        self
    }

    /// Another PG code than `kcp`.
    pub fn pg_provider(mut self, pg_provider: &str) -> Self {
        self.pg_provider = pg_provider.to_owned();
        self
    }

    /// This `imp_uid` instead of a generated one: to replay a recorded
    /// callback, redirect or webhook that names it.
    pub fn imp_uid(mut self, imp_uid: &str) -> Self {
        self.imp_uid = Some(imp_uid.to_owned());
        self
    }

    /// Another pay method than `card` (`trans`, `phone`, …).
    pub fn pay_method(mut self, pay_method: &'static str) -> Self {
        self.pay_method = pay_method;
        self
    }
}

/// Builds a [`FakeApi`] with other settings than [`FakeApi::start`]'s.
#[derive(Clone, Debug)]
pub struct Builder {
    key: String,
    secret: String,
    token_lifetime: Duration,
    max_requests: usize,
    max_lifetime: Duration,
}

impl Builder {
    /// The REST API key and secret the fake accepts (default `imp_key`,
    /// `imp_secret`).
    pub fn credentials(mut self, key: &str, secret: &str) -> Self {
        self.key = key.to_owned();
        self.secret = secret.to_owned();
        self
    }

    /// How long a token lives (the API: 30 minutes).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// After this many requests the fake answers 503 and stops (default
    /// 10,000): a test in a loop cannot run forever.
    pub fn max_requests(mut self, max: usize) -> Self {
        self.max_requests = max;
        self
    }

    /// The fake stops serving after this long (default 10 minutes).
    pub fn max_lifetime(mut self, lifetime: Duration) -> Self {
        self.max_lifetime = lifetime;
        self
    }

    /// Binds `127.0.0.1:0` and starts serving on the current tokio runtime.
    pub async fn start(self) -> std::io::Result<FakeApi> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(
                self.key.clone(),
                self.secret.clone(),
                self.token_lifetime,
            )),
            webhook: Mutex::new(None),
            deliveries: Mutex::new(Vec::new()),
            lost: AtomicUsize::new(0),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .map_err(std::io::Error::other)?,
            total: AtomicUsize::new(0),
            max_requests: self.max_requests,
            stop: Notify::new(),
            #[cfg(feature = "window")]
            origin: format!("http://{addr}"),
            #[cfg(feature = "window")]
            windows: Mutex::new(window::Windows::default()),
            #[cfg(feature = "window")]
            events: Notify::new(),
        });
        let app = routes::router(shared.clone());
        let stopper = shared.clone();
        let lifetime = self.max_lifetime;
        let server = tokio::spawn(async move {
            let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
                stopper.stop.notified().await;
            });
            // Bounded in time whatever the test does.
            let _ = tokio::time::timeout(lifetime, serving).await;
        });
        Ok(FakeApi {
            addr,
            key: self.key,
            secret: self.secret,
            shared,
            server,
        })
    }
}

/// State shared by the routes and the test controls.
pub(crate) struct Shared {
    state: Mutex<State>,
    webhook: Mutex<Option<WebhookTarget>>,
    deliveries: Mutex<Vec<WebhookDelivery>>,
    /// How many of the next webhooks are lost.
    lost: AtomicUsize,
    http: reqwest::Client,
    total: AtomicUsize,
    max_requests: usize,
    stop: Notify,
    /// `http://127.0.0.1:PORT`.
    #[cfg(feature = "window")]
    origin: String,
    #[cfg(feature = "window")]
    windows: Mutex<window::Windows>,
    /// Woken when a window event is recorded.
    #[cfg(feature = "window")]
    events: Notify,
}

impl Shared {
    #[cfg(feature = "window")]
    fn origin(&self) -> String {
        self.origin.clone()
    }

    /// Counts a request against the fake's budget; past it, the fake
    /// stops, and this says `true`.
    fn spend(&self) -> bool {
        let spent = self.total.fetch_add(1, Ordering::Relaxed) + 1 > self.max_requests;
        if spent {
            self.stop.notify_one();
        }
        spent
    }

    #[cfg(feature = "window")]
    fn windows(&self) -> MutexGuard<'_, window::Windows> {
        self.windows.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(feature = "window")]
    fn window_event(&self, event: window::WindowEvent) {
        self.windows().events.push(event);
        self.events.notify_waiters();
    }

    /// The state; a panic elsewhere while it was held does not poison the
    /// fake for the rest of the test.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake V1 API. Dropping it stops the server.
pub struct FakeApi {
    addr: SocketAddr,
    key: String,
    secret: String,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for FakeApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeApi")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.shared.stop.notify_one();
        self.server.abort();
    }
}

impl FakeApi {
    /// Starts a fake with the defaults: credentials `imp_key` / `imp_secret`,
    /// 30-minute tokens, at most 10,000 requests and 10 minutes.
    pub async fn start() -> std::io::Result<FakeApi> {
        FakeApi::builder().start().await
    }

    /// Other settings.
    pub fn builder() -> Builder {
        Builder {
            key: "imp_key".to_owned(),
            secret: "imp_secret".to_owned(),
            token_lifetime: Duration::from_secs(30 * 60),
            max_requests: 10_000,
            max_lifetime: Duration::from_secs(10 * 60),
        }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The REST API key the fake accepts.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The REST API secret the fake accepts.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Creates a payment and returns its `imp_uid`, or the reason PortOne
    /// would not have opened the window: an amount (or currency) other than
    /// the one prepared for this `merchant_uid`.
    pub fn create(&self, payment: NewPayment) -> Result<String, String> {
        self.shared.lock().create(payment)
    }

    /// Creates a verified identity (Danal) and returns its `imp_uid`.
    pub fn certify(&self, merchant_uid: &str, name: &str, phone: &str) -> String {
        self.shared.lock().certify(merchant_uid, name, phone)
    }

    /// The payment's `status` now (`ready`, `paid`, `cancelled`, `failed`).
    pub fn status(&self, imp_uid: &str) -> Option<String> {
        let state = self.shared.lock();
        state.payments.get(imp_uid).map(|p| p.status.to_owned())
    }

    /// The statuses of the order's payments (a failed attempt and a paid
    /// one, say), in no particular order; empty when it has none.
    pub fn statuses_of(&self, merchant_uid: &str) -> Vec<String> {
        let state = self.shared.lock();
        state
            .payments
            .values()
            .filter(|p| p.merchant_uid == merchant_uid)
            .map(|p| p.status.to_owned())
            .collect()
    }

    /// The amount refunded so far.
    pub fn cancel_amount(&self, imp_uid: &str) -> Option<Amount> {
        let state = self.shared.lock();
        state.payments.get(imp_uid).map(|p| p.cancel_amount)
    }

    /// How many cancellations were applied to the payment.
    pub fn cancellations(&self, imp_uid: &str) -> usize {
        let state = self.shared.lock();
        state
            .payments
            .get(imp_uid)
            .map_or(0, |p| p.cancel_history.len())
    }

    /// Every cancel request received so far, in order, refused ones too.
    pub fn cancel_requests(&self) -> Vec<ReceivedCancel> {
        self.shared.lock().cancels().to_vec()
    }

    /// The buyer deposits into the virtual account: `ready` becomes `paid`,
    /// and a `paid` webhook goes to the URL set with
    /// [`send_webhooks_to`](Self::send_webhooks_to), if any (awaited here).
    pub async fn deposit(&self, imp_uid: &str) -> Result<(), String> {
        let status = {
            let mut state = self.shared.lock();
            state.deposit(imp_uid).map_err(|r| r.message)?;
            state.payments.get(imp_uid).map(WebhookStatus::of)
        };
        if let Some(status) = status {
            self.shared.deliver_webhook(status).await;
        }
        Ok(())
    }

    /// Where webhooks go from now on (a URL of the server under test), and in
    /// which body format.
    pub fn send_webhooks_to(&self, url: &str, format: WebhookFormat) {
        *self
            .shared
            .webhook
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(WebhookTarget {
            url: url.to_owned(),
            format,
        });
    }

    /// Sends the payment's webhook now, as PortOne does after a payment or
    /// an issued virtual account; returns the receiver's HTTP status
    /// (`None` when none was configured or the delivery failed).
    pub async fn send_webhook(&self, imp_uid: &str) -> Option<u16> {
        let status = self.webhook_of(imp_uid)?;
        self.shared.deliver_webhook(status).await
    }

    /// The webhook the payment's current state announces.
    fn webhook_of(&self, imp_uid: &str) -> Option<WebhookStatus> {
        self.shared
            .lock()
            .payments
            .get(imp_uid)
            .map(WebhookStatus::of)
    }

    /// A refund made in PortOne's console (no checksum; `None`: the whole
    /// balance). PortOne sends the `cancelled` webhook for console cancels:
    /// it is delivered here (awaited) to the URL set with
    /// [`send_webhooks_to`](Self::send_webhooks_to), if any.
    pub async fn console_cancel(
        &self,
        imp_uid: &str,
        amount: Option<Amount>,
    ) -> Result<(), String> {
        let status = {
            let mut state = self.shared.lock();
            let payment = state
                .console_cancel(imp_uid, amount)
                .map_err(|r| r.message)?;
            WebhookStatus::of(&payment)
        };
        self.shared.deliver_webhook(status).await;
        Ok(())
    }

    /// The payment's webhook, `copies` times at once: a delivery that
    /// arrives twice (PortOne re-sending after a lost reply) or races
    /// itself. The receivers' statuses, in no particular order.
    pub async fn send_webhook_copies(&self, imp_uid: &str, copies: usize) -> Vec<Option<u16>> {
        let Some(status) = self.webhook_of(imp_uid) else {
            return Vec::new();
        };
        let deliveries = (0..copies).map(|_| {
            let (shared, status) = (Arc::clone(&self.shared), status.clone());
            tokio::spawn(async move { shared.deliver_webhook(status).await })
        });
        let mut statuses = Vec::new();
        for delivery in deliveries.collect::<Vec<_>>() {
            statuses.push(delivery.await.ok().flatten());
        }
        statuses
    }

    /// The next `count` webhooks are lost on the way: recorded as failed
    /// deliveries, never received.
    pub fn lose_webhooks(&self, count: usize) {
        self.shared.lost.store(count, Ordering::SeqCst);
    }

    /// Every webhook delivery attempted so far, in order.
    pub fn webhooks(&self) -> Vec<WebhookDelivery> {
        self.shared
            .deliveries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The current token expires now: calls with it get 401 until a new one
    /// is requested.
    pub fn expire_token(&self) {
        self.shared.lock().expire_token();
    }

    /// The current token is revoked: calls with it get 401, and the next
    /// getToken issues another.
    pub fn revoke_token(&self) {
        self.shared.lock().revoke_token();
    }

    /// Moves the server's clock (negative: back), as seen in `now`,
    /// `expired_at` and every timestamp it writes. Scheduled payments that
    /// fall due run: each charges its card and sends its webhook (from
    /// inside a tokio runtime).
    pub fn shift_clock(&self, seconds: i64) {
        let webhooks = {
            let mut state = self.shared.lock();
            state.shift_clock(seconds);
            state.run_due()
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            for webhook in webhooks {
                self.shared.spawn_webhook(webhook);
            }
        }
    }

    /// Charges of the card stored as `customer_uid` are declined from now
    /// on, with `reason` (`None`: approved again). The payment is made with
    /// `status: failed`, as PortOne records a declined charge.
    pub fn decline_charges(&self, customer_uid: &str, reason: Option<&str>) {
        if let Some(key) = self.shared.lock().billing.keys.get_mut(customer_uid) {
            key.declines = reason.map(str::to_owned);
        }
    }

    /// The absolute URL of the stand-in for PortOne's V1 browser SDK,
    /// `…/v1/iamport.js`: a page that loads it instead of
    /// `https://cdn.iamport.kr/v1/iamport.js` pays through the fake's
    /// window, and the payment is then this fake's (`GET
    /// /payments/{imp_uid}`). Also served: `/v1/iamport.esm.js` (an ES
    /// module) and the legacy `/js/iamport.payment-{version}.js`.
    #[cfg(feature = "window")]
    pub fn sdk_url(&self) -> String {
        format!("{}/v1/iamport.js", self.url())
    }

    /// Every window opened from now on decides by itself, as `decision`
    /// says, until changed; without it a window waits for a click on one
    /// of its buttons (`[data-fake=approve]`, `decline`, `cancel`,
    /// `issue_vbank`).
    #[cfg(feature = "window")]
    pub fn auto_decide(&self, decision: Decision) {
        self.shared.windows().auto = Some(decision);
    }

    /// Windows wait for a click again.
    #[cfg(feature = "window")]
    pub fn decide_by_click(&self) {
        self.shared.windows().auto = None;
    }

    /// Which optional properties a window's callback carries
    /// ([`Profile::Minimum`] by default).
    #[cfg(feature = "window")]
    pub fn window_profile(&self, profile: Profile) {
        self.shared.windows().profile = profile;
    }

    /// Whether a success callback carries `success: true` where the PG's
    /// schema marks it optional (off by default; a failure always says
    /// `false` where the PG lists it).
    #[cfg(feature = "window")]
    pub fn window_success_flag(&self, send: bool) {
        self.shared.windows().success_flag = send;
    }

    /// Configures only these PG codes, as a console would; a window for
    /// another is answered with the SDK's `F1001`, and with none at all
    /// every window is answered `NOT_READY`. Every PG is configured until
    /// this is called.
    #[cfg(feature = "window")]
    pub fn configure_pgs(&self, codes: &[&str]) {
        self.shared.windows().configured = Some(codes.iter().map(|c| (*c).to_owned()).collect());
    }

    /// When the webhook of a payment made in a window goes out
    /// ([`WindowWebhook::WithAnswer`] by default).
    #[cfg(feature = "window")]
    pub fn window_webhook(&self, policy: WindowWebhook) {
        self.shared.windows().webhook = policy;
    }

    /// Whether payments made in windows are test-channel payments (hidden
    /// from lookups without `include_sandbox=true`); ordinary payments by
    /// default.
    #[cfg(feature = "window")]
    pub fn window_sandbox(&self, sandbox: bool) {
        self.shared.windows().sandbox = sandbox;
    }

    /// What happened in windows so far, in order.
    #[cfg(feature = "window")]
    pub fn window_events(&self) -> Vec<WindowEvent> {
        self.shared.windows().events.clone()
    }

    /// Waits until a window event after the first `after` (pass
    /// `window_events().len()` taken before the action) satisfies
    /// `wanted`, at most `timeout`; returns it, or `None` after the
    /// timeout. Woken by the fake as events happen, without polling.
    #[cfg(feature = "window")]
    pub async fn wait_for_window_event(
        &self,
        after: usize,
        timeout: Duration,
        wanted: impl Fn(&WindowEvent) -> bool,
    ) -> Option<WindowEvent> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.events.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let found = self
                .shared
                .windows()
                .events
                .iter()
                .skip(after)
                .find(|e| wanted(e))
                .cloned();
            if found.is_some() {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// Registers a bank account for `GET /vbanks/holder`: account
    /// `bank_num` at the bank `bank_code` is held by `holder`. Other
    /// accounts are answered as unknown.
    pub fn add_account(&self, bank_code: &str, bank_num: &str, holder: &str) {
        self.shared.lock().account_holders.insert(
            (bank_code.to_owned(), bank_num.to_owned()),
            holder.to_owned(),
        );
    }

    /// Whether a card is stored as `customer_uid`.
    pub fn has_billing_key(&self, customer_uid: &str) -> bool {
        self.shared.lock().billing.keys.contains_key(customer_uid)
    }

    /// The `schedule_status` of the scheduled payment `merchant_uid`
    /// (`scheduled`, `executed`, `revoked`) and its payment, once it ran.
    pub fn schedule_status(&self, merchant_uid: &str) -> Option<(String, Option<String>)> {
        let state = self.shared.lock();
        let schedule = state.billing.schedules.get(merchant_uid)?;
        Some((
            schedule.schedule_status.to_owned(),
            schedule.imp_uid.clone(),
        ))
    }

    /// The next request to `route` meets `fault` (faults queue up per route).
    pub fn fail_next(&self, route: Route, fault: Fault) {
        self.shared.lock().push_fault(route, fault);
    }

    /// How many requests reached `route` (rejected ones included).
    pub fn requests(&self, route: Route) -> usize {
        self.shared.lock().requests(route)
    }
}
