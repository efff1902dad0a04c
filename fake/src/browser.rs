//! Headless Chromium for tests of the browser half: pages that load the
//! fake's SDK stand-in ([`FakeApi::sdk_url`](crate::FakeApi::sdk_url)),
//! driven over the DevTools protocol. It runs the Chromium installed on the
//! machine (Debian's `chromium` package); nothing is downloaded.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use portone_pg_fake::browser::{Agent, Browser};
//! use portone_pg_fake::{Decision, FakeApi};
//!
//! let fake = FakeApi::start().await?;
//! fake.auto_decide(Decision::Approve);
//! let browser = Browser::launch().await?;
//! let page = browser.new_page(Agent::Desktop).await?;
//! page.goto("http://127.0.0.1:8080/checkout").await?;
//! page.click("#pay").await?;
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::SinkExt;
use futures_util::stream::{SplitSink, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Where the binary is looked for, after `PORTONE_PG_CHROMIUM`.
const CANDIDATES: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
];

/// A user agent the SDK reads as a phone: it redirects instead of calling
/// back.
const MOBILE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36";

/// How long one DevTools call may take.
const CALL: Duration = Duration::from_secs(20);

/// What went wrong with the browser.
#[derive(Debug)]
pub struct BrowserError(String);

impl std::fmt::Display for BrowserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrowserError {}

fn fail(message: impl Into<String>) -> BrowserError {
    BrowserError(message.into())
}

/// Which browser the page claims to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agent {
    /// Chromium's own desktop user agent: the SDK calls the page back.
    Desktop,
    /// An Android phone's: the SDK navigates to `m_redirect_url`.
    Mobile,
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One DevTools event: its session, method and parameters.
type Event = (Option<String>, String, Value);

struct Connection {
    sink: tokio::sync::Mutex<SplitSink<Socket, Message>>,
    next: AtomicU64,
    pending: Mutex<HashMap<u64, oneshot::Sender<Result<Value, String>>>>,
    listeners: Mutex<Vec<mpsc::UnboundedSender<Event>>>,
}

impl Connection {
    async fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, BrowserError> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let (sender, receiver) = oneshot::channel();
        lock(&self.pending).insert(id, sender);
        self.sink
            .lock()
            .await
            .send(Message::text(message.to_string()))
            .await
            .map_err(|e| fail(format!("{method}: the DevTools connection failed: {e}")))?;
        match tokio::time::timeout(CALL, receiver).await {
            Ok(Ok(Ok(result))) => Ok(result),
            Ok(Ok(Err(error))) => Err(fail(format!("{method}: {error}"))),
            Ok(Err(_)) => Err(fail(format!("{method}: the browser went away"))),
            Err(_) => Err(fail(format!("{method}: no answer within {CALL:?}"))),
        }
    }

    fn listen(&self) -> mpsc::UnboundedReceiver<Event> {
        let (sender, receiver) = mpsc::unbounded_channel();
        lock(&self.listeners).push(sender);
        receiver
    }

    /// Routes each message: an answer to its caller, an event to every
    /// listener.
    async fn read(self: Arc<Self>, mut stream: futures_util::stream::SplitStream<Socket>) {
        while let Some(Ok(message)) = stream.next().await {
            let Ok(text) = message.to_text() else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            if let Some(id) = value.get("id").and_then(Value::as_u64) {
                if let Some(sender) = lock(&self.pending).remove(&id) {
                    let result = match value.get("error") {
                        Some(error) => Err(error.to_string()),
                        None => Ok(value.get("result").cloned().unwrap_or(Value::Null)),
                    };
                    let _ = sender.send(result);
                }
                continue;
            }
            let method = value["method"].as_str().unwrap_or_default().to_owned();
            let session = value["sessionId"].as_str().map(str::to_owned);
            let params = value.get("params").cloned().unwrap_or(Value::Null);
            lock(&self.listeners).retain(|l| {
                l.send((session.clone(), method.clone(), params.clone()))
                    .is_ok()
            });
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A headless Chromium. Dropping it ends the process and removes its
/// profile directory.
pub struct Browser {
    child: tokio::process::Child,
    profile: PathBuf,
    connection: Arc<Connection>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser").finish_non_exhaustive()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The installed Chromium: `PORTONE_PG_CHROMIUM`, else the usual paths.
fn binary() -> Result<PathBuf, BrowserError> {
    if let Some(path) = std::env::var_os("PORTONE_PG_CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    CANDIDATES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            fail(
                "no Chromium found (looked for /usr/bin/chromium and the like): install Debian's \
                 `chromium` package (apt-get install chromium), or set PORTONE_PG_CHROMIUM to its path",
            )
        })
}

impl Browser {
    /// Starts headless Chromium with popups allowed (the SDK may open a
    /// window on page load, without a click), listening for DevTools on a
    /// port of 127.0.0.1 it picks.
    pub async fn launch() -> Result<Browser, BrowserError> {
        static SERIAL: AtomicU64 = AtomicU64::new(0);
        let binary = binary()?;
        let profile = std::env::temp_dir().join(format!(
            "portone-pg-chromium-{}-{}",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::Relaxed)
        ));
        let mut child = tokio::process::Command::new(&binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-popup-blocking",
                "--disable-extensions",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            // The shop and the fake are one site (127.0.0.1, two ports):
            // the window's frame shares the page's process, and its
            // JavaScript context is reachable for clicks.
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| fail(format!("cannot start {}: {e}", binary.display())))?;
        let stderr = child.stderr.take().ok_or_else(|| fail("no stderr"))?;
        let mut lines = BufReader::new(stderr).lines();
        let endpoint = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    return Some(url.trim().to_owned());
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .ok_or_else(|| {
            fail(format!(
                "{} did not start its DevTools endpoint",
                binary.display()
            ))
        })?;
        // Keep draining stderr so that the browser never blocks on it.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let (socket, _) = tokio_tungstenite::connect_async(endpoint.as_str())
            .await
            .map_err(|e| fail(format!("cannot connect to {endpoint}: {e}")))?;
        let (sink, stream) = socket.split();
        let connection = Arc::new(Connection {
            sink: tokio::sync::Mutex::new(sink),
            next: AtomicU64::new(1),
            pending: Mutex::new(HashMap::new()),
            listeners: Mutex::new(Vec::new()),
        });
        tokio::spawn(connection.clone().read(stream));
        Ok(Browser {
            child,
            profile,
            connection,
        })
    }

    /// [`launch`](Self::launch) for a test: without a Chromium installed it
    /// prints `SKIPPED: …` and returns `None`, so the test can return
    /// early, except under `CI=true`, where a missing browser fails the
    /// test instead of skipping it silently.
    ///
    /// # Panics
    ///
    /// Under `CI=true`, when the browser cannot be started.
    pub async fn launch_for_test() -> Option<Browser> {
        match Browser::launch().await {
            Ok(browser) => Some(browser),
            Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
                eprintln!("SKIPPED: {e}");
                None
            }
            Err(e) => panic!("{e}"),
        }
    }

    /// A new tab, claiming to be a desktop or a phone.
    pub async fn new_page(&self, agent: Agent) -> Result<Page, BrowserError> {
        let c = &self.connection;
        let target = c
            .call(None, "Target.createTarget", json!({ "url": "about:blank" }))
            .await?;
        let target_id = target["targetId"].as_str().unwrap_or_default().to_owned();
        let attached = c
            .call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
            )
            .await?;
        let session = attached["sessionId"]
            .as_str()
            .ok_or_else(|| fail("Target.attachToTarget: no session"))?
            .to_owned();
        let page = Page {
            session,
            connection: c.clone(),
            contexts: Arc::new(Mutex::new(Vec::new())),
        };
        page.track_contexts();
        page.call("Page.enable", json!({})).await?;
        page.call("Runtime.enable", json!({})).await?;
        if agent == Agent::Mobile {
            page.call(
                "Emulation.setUserAgentOverride",
                json!({ "userAgent": MOBILE, "platform": "Linux armv8l" }),
            )
            .await?;
        }
        Ok(page)
    }
}

/// One tab.
pub struct Page {
    session: String,
    connection: Arc<Connection>,
    /// The JavaScript contexts alive in the tab and its frames: id and
    /// origin.
    contexts: Arc<Mutex<Vec<(i64, String)>>>,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page").finish_non_exhaustive()
    }
}

impl Page {
    async fn call(&self, method: &str, params: Value) -> Result<Value, BrowserError> {
        self.connection
            .call(Some(&self.session), method, params)
            .await
    }

    /// Keeps the list of the tab's JavaScript contexts (one per frame)
    /// current, for [`click_in_frame`](Self::click_in_frame).
    fn track_contexts(&self) {
        let mut events = self.connection.listen();
        let session = self.session.clone();
        let contexts = self.contexts.clone();
        tokio::spawn(async move {
            while let Some((s, method, params)) = events.recv().await {
                if s.as_deref() != Some(session.as_str()) {
                    continue;
                }
                let mut contexts = lock(&contexts);
                match method.as_str() {
                    "Runtime.executionContextCreated" => {
                        let context = &params["context"];
                        if let Some(id) = context["id"].as_i64() {
                            let origin = context["origin"].as_str().unwrap_or_default().to_owned();
                            contexts.push((id, origin));
                        }
                    }
                    "Runtime.executionContextDestroyed" => {
                        let gone = params["executionContextId"].as_i64();
                        contexts.retain(|(id, _)| Some(*id) != gone);
                    }
                    "Runtime.executionContextsCleared" => contexts.clear(),
                    _ => {}
                }
            }
        });
    }

    /// Clicks `selector` in a frame of the page whose origin is `origin`
    /// (the fake's window, inside the shop's page), waiting up to `timeout`
    /// for such a frame and element.
    pub async fn click_in_frame(
        &self,
        origin: &str,
        selector: &str,
        timeout: Duration,
    ) -> Result<(), BrowserError> {
        let selector = serde_json::to_string(selector).unwrap_or_default();
        let expression = format!(
            "(() => {{ const e = document.querySelector({selector}); if (!e) return false; e.click(); return true; }})()"
        );
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let candidates: Vec<i64> = lock(&self.contexts)
                .iter()
                .rev()
                .filter(|(_, o)| o == origin)
                .map(|(id, _)| *id)
                .collect();
            for context in candidates {
                let result = self
                    .call(
                        "Runtime.evaluate",
                        json!({ "expression": expression, "contextId": context, "returnByValue": true }),
                    )
                    .await;
                if let Ok(result) = result
                    && result["result"]["value"] == Value::Bool(true)
                {
                    return Ok(());
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(fail(format!(
                    "no {selector} in a frame of {origin} within {timeout:?}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens `url` and waits for its `load` event.
    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        let mut events = self.connection.listen();
        let navigated = self.call("Page.navigate", json!({ "url": url })).await?;
        if let Some(error) = navigated.get("errorText").and_then(Value::as_str) {
            return Err(fail(format!("{url}: {error}")));
        }
        let session = self.session.clone();
        tokio::time::timeout(CALL, async move {
            while let Some((s, method, _)) = events.recv().await {
                if s.as_deref() == Some(session.as_str()) && method == "Page.loadEventFired" {
                    return;
                }
            }
        })
        .await
        .map_err(|_| fail(format!("{url}: not loaded within {CALL:?}")))
    }

    /// Starts listening for the tab's main frame to navigate to a URL
    /// starting with `prefix`, and returns a future of that URL: call it
    /// before what navigates (`goto`, a click), then await it. It waits on
    /// the browser's own navigation event, not by polling the page.
    pub fn expect_navigation(
        &self,
        prefix: &str,
        timeout: Duration,
    ) -> impl Future<Output = Result<String, BrowserError>> + use<> {
        let mut events = self.connection.listen();
        let session = self.session.clone();
        let prefix = prefix.to_owned();
        async move {
            let wanted = async {
                while let Some((s, method, params)) = events.recv().await {
                    let frame = &params["frame"];
                    if s.as_deref() == Some(session.as_str())
                        && method == "Page.frameNavigated"
                        && frame.get("parentId").is_none()
                        && let Some(url) = frame["url"].as_str()
                        && url.starts_with(&prefix)
                    {
                        return Some(url.to_owned());
                    }
                }
                None
            };
            tokio::time::timeout(timeout, wanted)
                .await
                .ok()
                .flatten()
                .ok_or_else(|| fail(format!("no navigation to {prefix} within {timeout:?}")))
        }
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns
    /// its value as JSON.
    pub async fn eval(&self, expression: &str) -> Result<Value, BrowserError> {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
            )
            .await?;
        if let Some(exception) = result.get("exceptionDetails") {
            let text = exception["exception"]["description"]
                .as_str()
                .or_else(|| exception["text"].as_str())
                .unwrap_or("an exception");
            return Err(fail(format!("{expression}: {text}")));
        }
        Ok(result["result"]["value"].clone())
    }

    /// Clicks the element `selector` names, as a user would.
    pub async fn click(&self, selector: &str) -> Result<(), BrowserError> {
        let selector = serde_json::to_string(selector).unwrap_or_default();
        let found = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({selector}); if (!e) return false; e.click(); return true; }})()"
            ))
            .await?;
        match found {
            Value::Bool(true) => Ok(()),
            _ => Err(fail(format!("no element {selector} to click"))),
        }
    }

    /// Waits until `expression` is truthy in the page (checked every 50 ms,
    /// across navigations), at most `timeout`; returns its value.
    pub async fn wait_for(
        &self,
        expression: &str,
        timeout: Duration,
    ) -> Result<Value, BrowserError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // A navigation in progress answers with an error: try again.
            if let Ok(value) = self.eval(expression).await
                && !matches!(value, Value::Null | Value::Bool(false))
            {
                return Ok(value);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(fail(format!("{expression}: not true within {timeout:?}")));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The page's address.
    pub async fn url(&self) -> Result<String, BrowserError> {
        Ok(self
            .eval("location.href")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Serves `sdk_url`'s script wherever the page asks for PortOne's CDN
    /// script (`https://cdn.iamport.kr/…`), for pages that hard-code it.
    pub async fn serve_sdk_for_cdn(&self, sdk_url: &str) -> Result<(), BrowserError> {
        let script = reqwest::get(sdk_url)
            .await
            .map_err(|e| fail(format!("{sdk_url}: {e}")))?
            .text()
            .await
            .map_err(|e| fail(format!("{sdk_url}: {e}")))?;
        let body = base64(script.as_bytes());
        let mut events = self.connection.listen();
        self.call(
            "Fetch.enable",
            json!({ "patterns": [{ "urlPattern": "https://cdn.iamport.kr/*" }] }),
        )
        .await?;
        let connection = self.connection.clone();
        let session = self.session.clone();
        tokio::spawn(async move {
            while let Some((s, method, params)) = events.recv().await {
                if s.as_deref() != Some(session.as_str()) || method != "Fetch.requestPaused" {
                    continue;
                }
                let request = params["requestId"].clone();
                let _ = connection
                    .call(
                        Some(&session),
                        "Fetch.fulfillRequest",
                        json!({
                            "requestId": request,
                            "responseCode": 200,
                            "responseHeaders": [
                                { "name": "Content-Type", "value": "text/javascript; charset=utf-8" },
                                { "name": "Access-Control-Allow-Origin", "value": "*" },
                            ],
                            "body": body,
                        }),
                    )
                    .await;
            }
        });
        Ok(())
    }
}

/// Standard base64, for DevTools' binary fields.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
