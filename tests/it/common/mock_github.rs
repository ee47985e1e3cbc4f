//! A small mock of the GitHub REST API's issue-comment endpoints, on 127.0.0.1, for tests.
//! It keeps comments in memory, pages them `page_size` at a time with a `Link` header as
//! GitHub does, records every request, and can be told to fail.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: u64,
    pub body: String,
    pub user: String,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub user: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
}

#[derive(Debug, Default)]
pub struct State {
    pub comments: Vec<Comment>,
    pub issues: Vec<Issue>,
    /// Refuse (422) any assignee, as GitHub does one without access to the repository.
    pub reject_assignees: bool,
    pub next_id: u64,
    pub page_size: usize,
    pub requests: Vec<Request>,
    /// Answers to give, in order, before serving normally: (status, extra headers).
    pub failures: VecDeque<(u16, Vec<(String, String)>)>,
    /// Answer every request with this status (403: a fork's read-only token).
    pub refuse: Option<u16>,
    /// Answers to the next POSTs: the status, and whether the comment is made all the same
    /// (a gateway that times out after GitHub has done the work).
    pub post_failures: VecDeque<(u16, bool)>,
    /// A `rel="next"` link to give instead of our own (a link to another host).
    pub next_link: Option<String>,
    /// Every page of comments is empty and has a next page.
    pub endless: bool,
    /// Send each answer a byte at a time, this many milliseconds apart.
    pub drip_ms: u64,
    /// Answer every request with a body of this many bytes (a server that sends without end).
    pub huge_body: usize,
}

pub struct MockGithub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl MockGithub {
    /// Serve on a free port, under `prefix` (`""` for github.com, `/api/v3` for Enterprise).
    pub fn start(prefix: &str) -> MockGithub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}{prefix}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            page_size: 30,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let base = url.clone();
        let prefix = prefix.to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (shared, base, prefix) = (Arc::clone(&shared), base.clone(), prefix.clone());
                std::thread::spawn(move || serve(stream, &shared, &base, &prefix));
            }
        });
        MockGithub { url, state }
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Add an open issue by `user` (someone else, or ours from an earlier run).
    pub fn add_issue(&self, user: &str, title: &str, body: &str, label: &str) -> u64 {
        let mut state = self.state();
        state.next_id += 1;
        let number = state.next_id;
        state.issues.push(Issue {
            number,
            title: title.to_owned(),
            body: body.to_owned(),
            user: user.to_owned(),
            open: true,
            labels: vec![label.to_owned()],
            assignees: Vec::new(),
        });
        number
    }

    /// Add a comment by someone else (another bot, a reviewer).
    pub fn add_comment(&self, user: &str, body: &str) -> u64 {
        let mut state = self.state();
        state.next_id += 1;
        let id = state.next_id;
        state.comments.push(Comment {
            id,
            body: body.to_owned(),
            user: user.to_owned(),
        });
        id
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>, base: &str, prefix: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut length = 0;
    let mut authorization = None;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body = String::from_utf8_lossy(&body).into_owned();
    let (status, headers, reply) = {
        let mut state = state.lock().unwrap();
        state.requests.push(Request {
            method: method.clone(),
            path: target.clone(),
            authorization,
            body: body.clone(),
        });
        answer(&mut state, &method, &target, &body, base, prefix)
    };
    let mut response = format!(
        "HTTP/1.1 {status} Mock\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.len()
    );
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(&reply);
    let mut stream = stream;
    let huge = state.lock().unwrap().huge_body;
    if huge > 0 {
        stream.write_all(
            format!("HTTP/1.1 200 Mock\r\ncontent-type: application/json\r\ncontent-length: {huge}\r\nconnection: close\r\n\r\n").as_bytes(),
        )?;
        let chunk = vec![b' '; 1 << 20];
        let mut left = huge;
        while left > 0 {
            let n = left.min(chunk.len());
            // The client stops reading at its cap: a broken pipe here is the point.
            if stream.write_all(&chunk[..n]).is_err() {
                return Ok(());
            }
            left -= n;
        }
        return stream.flush();
    }
    let drip = state.lock().unwrap().drip_ms;
    if drip > 0 {
        for byte in response.as_bytes() {
            stream.write_all(&[*byte])?;
            stream.flush()?;
            std::thread::sleep(std::time::Duration::from_millis(drip));
        }
        return Ok(());
    }
    stream.write_all(response.as_bytes())?;
    stream.flush()
}

fn message(text: &str) -> String {
    serde_json::json!({ "message": text, "documentation_url": "https://docs.github.com/rest" })
        .to_string()
}

fn answer(
    state: &mut State,
    method: &str,
    target: &str,
    body: &str,
    base: &str,
    prefix: &str,
) -> (u16, Vec<(String, String)>, String) {
    if let Some((status, headers)) = state.failures.pop_front() {
        return (status, headers, message("Server Error"));
    }
    if method == "POST"
        && let Some((status, made_anyway)) = state.post_failures.pop_front()
    {
        if made_anyway {
            let _ = answer(state, method, target, body, base, prefix);
        }
        return (status, Vec::new(), message("Bad Gateway"));
    }
    if let Some(status) = state.refuse {
        return (
            status,
            Vec::new(),
            message("Resource not accessible by integration"),
        );
    }
    let Some(path) = target.strip_prefix(prefix) else {
        return (404, Vec::new(), message("Not Found"));
    };
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        ("GET", ["repos", _, _, "issues", _, "comments"]) => {
            let page: usize = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("page="))
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let size = state.page_size;
            let start = (page - 1) * size;
            let items: Vec<serde_json::Value> = state
                .comments
                .iter()
                .skip(start)
                .take(size)
                .map(|c| serde_json::json!({"id": c.id, "body": c.body, "user": {"login": c.user, "type": "Bot"}}))
                .collect();
            let mut headers = Vec::new();
            if state.endless {
                headers.push((
                    "link".to_owned(),
                    format!(
                        "<{base}{path}?per_page=100&page={}>; rel=\"next\"",
                        page + 1
                    ),
                ));
                return (200, headers, "[]".to_owned());
            }
            if start + size < state.comments.len() {
                let next = state
                    .next_link
                    .clone()
                    .unwrap_or_else(|| format!("{base}{path}?per_page=100&page={}", page + 1));
                headers.push((
                    "link".to_owned(),
                    format!("<{next}>; rel=\"next\", <{base}{path}?page=99>; rel=\"last\""),
                ));
            }
            (200, headers, serde_json::Value::Array(items).to_string())
        }
        ("POST", ["repos", _, _, "issues", _, "comments"]) => {
            let text = serde_json::from_str::<serde_json::Value>(body).unwrap()["body"]
                .as_str()
                .unwrap()
                .to_owned();
            state.next_id += 1;
            let id = state.next_id;
            state.comments.push(Comment {
                id,
                body: text.clone(),
                user: "github-actions[bot]".to_owned(),
            });
            (
                201,
                Vec::new(),
                serde_json::json!({"id": id, "body": text}).to_string(),
            )
        }
        ("PATCH", ["repos", _, _, "issues", "comments", id]) => {
            let id: u64 = id.parse().unwrap_or(0);
            let text = serde_json::from_str::<serde_json::Value>(body).unwrap()["body"]
                .as_str()
                .unwrap()
                .to_owned();
            match state.comments.iter_mut().find(|c| c.id == id) {
                Some(c) => {
                    c.body = text.clone();
                    (
                        200,
                        Vec::new(),
                        serde_json::json!({"id": id, "body": text}).to_string(),
                    )
                }
                None => (404, Vec::new(), message("Not Found")),
            }
        }
        ("GET", ["repos", _, _, "issues"]) => {
            let param = |name: &str| {
                query.split('&').find_map(|kv| {
                    kv.strip_prefix(&format!("{name}="))
                        .map(crate::common::percent_decode)
                })
            };
            let (label, creator) = (param("labels"), param("creator"));
            let items: Vec<serde_json::Value> = state
                .issues
                .iter()
                .filter(|i| i.open)
                .filter(|i| label.as_ref().is_none_or(|l| i.labels.contains(l)))
                .filter(|i| creator.as_ref().is_none_or(|c| &i.user == c))
                .map(issue_json)
                .collect();
            (200, Vec::new(), serde_json::Value::Array(items).to_string())
        }
        ("POST", ["repos", _, _, "issues"]) => {
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            let assignees = strings(&v["assignees"]);
            if state.reject_assignees && !assignees.is_empty() {
                return (422, Vec::new(), message("Validation Failed"));
            }
            state.next_id += 1;
            let issue = Issue {
                number: state.next_id,
                title: v["title"].as_str().unwrap().to_owned(),
                body: v["body"].as_str().unwrap().to_owned(),
                user: "github-actions[bot]".to_owned(),
                open: true,
                labels: strings(&v["labels"]),
                assignees,
            };
            let reply = issue_json(&issue).to_string();
            state.issues.push(issue);
            (201, Vec::new(), reply)
        }
        ("PATCH", ["repos", _, _, "issues", number]) => {
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            let number: u64 = number.parse().unwrap_or(0);
            if state.reject_assignees && !strings(&v["assignees"]).is_empty() {
                return (422, Vec::new(), message("Validation Failed"));
            }
            let Some(issue) = state.issues.iter_mut().find(|i| i.number == number) else {
                return (404, Vec::new(), message("Not Found"));
            };
            if let Some(t) = v["title"].as_str() {
                issue.title = t.to_owned();
            }
            if let Some(b) = v["body"].as_str() {
                issue.body = b.to_owned();
            }
            if v["state"] == "closed" {
                issue.open = false;
            }
            if v.get("assignees").is_some() {
                issue.assignees = strings(&v["assignees"]);
            }
            (200, Vec::new(), issue_json(issue).to_string())
        }
        _ => (404, Vec::new(), message("Not Found")),
    }
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn issue_json(i: &Issue) -> serde_json::Value {
    serde_json::json!({
        "number": i.number,
        "title": i.title,
        "body": i.body,
        "state": if i.open { "open" } else { "closed" },
        "user": {"login": i.user},
        "labels": i.labels.iter().map(|l| serde_json::json!({"name": l})).collect::<Vec<_>>(),
        "assignees": i.assignees.iter().map(|a| serde_json::json!({"login": a})).collect::<Vec<_>>(),
    })
}
