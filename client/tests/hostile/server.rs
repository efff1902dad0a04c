//! A scripted HTTP/1.1 server on 127.0.0.1 that answers whatever a test
//! tells it to, byte for byte: redirects, foreign objects, echoed secrets,
//! replies that never come. Bounded in requests and in time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the server does with a request.
pub enum Reply {
    /// These bytes, then the connection is closed.
    Raw(Vec<u8>),
    /// Nothing for this long, then the connection is closed.
    Hang(Duration),
}

/// A reply with this status, content type and body.
pub fn reply(status: u16, content_type: &str, body: &str) -> Reply {
    Reply::Raw(
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// The API's envelope around `response` (JSON text).
pub fn ok(response: &str) -> Reply {
    reply(
        200,
        "application/json",
        &format!(r#"{{"code":0,"message":null,"response":{response}}}"#),
    )
}

/// A redirect to `location`.
pub fn redirect(status: u16, location: &str) -> Reply {
    Reply::Raw(
        format!("HTTP/1.1 {status} X\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .into_bytes(),
    )
}

/// A token reply: `token`, living `lifetime` seconds by the server's clock.
pub fn token(token: &str, lifetime: i64) -> Reply {
    let now = 1_700_000_000i64;
    ok(&format!(
        r#"{{"access_token":"{token}","expired_at":{},"now":{now}}}"#,
        now + lifetime
    ))
}

/// A payment object.
pub fn payment(imp_uid: &str, merchant_uid: &str, amount: u64, extra: &str) -> String {
    format!(
        r#"{{"imp_uid":"{imp_uid}","merchant_uid":"{merchant_uid}","amount":{amount},"currency":"KRW","status":"paid"{extra}}}"#
    )
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server; stopped when dropped.
pub struct Server {
    url: String,
    received: Arc<Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

/// At most this many requests, for at most this long.
const MAX_REQUESTS: usize = 400;
const MAX_LIFETIME: Duration = Duration::from_secs(60);

impl Server {
    pub async fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = {
            let received = Arc::clone(&received);
            tokio::spawn(async move {
                let serve = async {
                    for _ in 0..MAX_REQUESTS {
                        let Ok((stream, _)) = listener.accept().await else {
                            return;
                        };
                        let (handler, received) = (Arc::clone(&handler), Arc::clone(&received));
                        tokio::spawn(async move { answer(stream, &*handler, &received).await });
                    }
                };
                let _ = tokio::time::timeout(MAX_LIFETIME, serve).await;
            })
        };
        Server {
            url,
            received,
            task,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Request> {
        self.received.lock().unwrap().clone()
    }

    /// How many requests had this method and path.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.received()
            .iter()
            .filter(|r| r.method == method && r.path() == path)
            .count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (each connection carries one: every reply closes it).
async fn answer(mut stream: TcpStream, handler: &Handler, received: &Mutex<Vec<Request>>) {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if data.len() > 64 << 10 {
            return;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (method, target) = (
        first.next().unwrap_or("").to_owned(),
        first.next().unwrap_or("").to_owned(),
    );
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    let request = Request {
        method,
        target,
        headers,
        body,
    };
    let reply = handler(&request);
    received.lock().unwrap().push(request);
    match reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Hang(hold) => tokio::time::sleep(hold).await,
    }
}
