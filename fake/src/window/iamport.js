// portone-pg-fake's stand-in for PortOne's V1 browser SDK (iamport.js).
// It defines IMP as the real script does, but asks the fake what to do and
// moves what the fake rendered: the fake decides the window's mode, renders
// the callback object and the redirect query from the PG's schema file, and
// keeps the payment. Served by the fake at /v1/iamport.js; FAKE_ORIGIN is
// replaced with the fake's origin when served.
(function (root) {
  "use strict";
  var FAKE = "FAKE_ORIGIN";
  var state = { code: null, tier: null };
  var opened = null;

  // The real SDK decides "mobile" from the user agent alone.
  function isMobile() {
    var ua = navigator.userAgent;
    return /\b(iPhone|iP[ao]d)/.test(ua) || /Android/i.test(ua) || /Mobile/i.test(ua);
  }

  function post(path, body) {
    return fetch(FAKE + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.json();
    });
  }

  // Hands a result to the page: the callback, or a navigation to
  // m_redirect_url when there is no callback or the flow is a redirect.
  function deliver(id, answer, callback) {
    if (answer.redirect && (answer.navigate || typeof callback !== "function")) {
      location.href = answer.redirect;
      return;
    }
    if (typeof callback === "function") {
      callback(answer.callback);
      // Tells the fake, so that a test waits on its event, not the page.
      post("/__fake/delivered", { id: id, merchant_uid: answer.callback.merchant_uid });
    } else {
      alert(answer.callback.error_msg || "payment finished");
    }
  }

  function closeOpened() {
    if (!opened) return;
    if (opened.frame && opened.frame.parentNode) opened.frame.parentNode.removeChild(opened.frame);
    if (opened.popup && !opened.popup.closed) opened.popup.close();
    window.removeEventListener("message", opened.listener);
    opened = null;
  }

  function open(kind, params, callback) {
    if (!state.code) {
      throw new Error("IMP." + kind + ": call IMP.init(merchant code) first");
    }
    var request = {
      kind: kind,
      merchant_code: state.code,
      tier: state.tier,
      params: params || {},
      mobile: isMobile(),
      callback: typeof callback === "function",
      origin: location.origin,
    };
    post("/__fake/window", request).then(function (plan) {
      if (plan.answer) {
        deliver(null, plan.answer, callback);
        return;
      }
      if (plan.mode === "redirect") {
        location.href = plan.url;
        return;
      }
      // The window answers with postMessage; only the fake's origin, and
      // only this window's id, are listened to.
      var listener = function (event) {
        if (event.origin !== FAKE || !event.data || event.data.portone_fake !== plan.id) return;
        closeOpened();
        deliver(plan.id, event.data.answer, callback);
      };
      window.addEventListener("message", listener);
      opened = { listener: listener };
      if (plan.mode === "popup") {
        opened.popup = window.open(plan.url, "portone_fake_" + plan.id, "width=480,height=720");
      } else {
        var frame = document.createElement("iframe");
        frame.src = plan.url;
        frame.setAttribute("data-fake", "window");
        frame.style.cssText =
          "position:fixed;inset:0;width:100%;height:100%;border:0;z-index:2147483647;background:rgba(0,0,0,.4)";
        document.body.appendChild(frame);
        opened.frame = frame;
      }
    });
  }

  function unsupported(name) {
    return function () {
      throw new Error("IMP." + name + " is not supported by portone-pg's fake SDK");
    };
  }

  var IMP = {
    init: function (code) {
      state.code = String(code);
    },
    agency: function (code, tier) {
      state.code = String(code);
      state.tier = tier == null ? null : String(tier);
    },
    request_pay: function (params, callback) {
      open("payment", params, callback);
    },
    certification: function (params, callback) {
      open("certification", params, callback);
    },
    close: closeOpened,
    naver_zzim: unsupported("naver_zzim"),
    loadUI: unsupported("loadUI"),
    updateLoadUIRequest: unsupported("updateLoadUIRequest"),
    request_pay_with_ui: unsupported("request_pay_with_ui"),
  };
  root.IMP = IMP;
})(typeof window !== "undefined" ? window : this);
