// A minimal Arcana client for the demo page (the full SDK lives in sdk/): WebSocket protocol,
// normalised rows, RFC 6902 patches, version checks, reconnect with /sync.
(function (global) {
  'use strict';

  function unescapeToken(t) { return t.replace(/~1/g, '/').replace(/~0/g, '~'); }
  function clone(v) { return v === undefined ? v : JSON.parse(JSON.stringify(v)); }

  // Applies an RFC 6902 patch (add, remove, replace, move, copy, test) and returns the new document.
  function applyPatch(doc, ops) {
    let root = clone(doc);
    for (const op of ops) {
      if (op.path === '') {
        if (op.op === 'add' || op.op === 'replace') { root = clone(op.value); continue; }
      }
      if (op.op === 'move' || op.op === 'copy') {
        const value = get(root, op.from);
        if (op.op === 'move') root = remove(root, op.from);
        root = add(root, op.path, clone(value));
      } else if (op.op === 'add') {
        root = add(root, op.path, clone(op.value));
      } else if (op.op === 'remove') {
        root = remove(root, op.path);
      } else if (op.op === 'replace') {
        root = remove(root, op.path);
        root = add(root, op.path, clone(op.value));
      } else if (op.op === 'test') {
        if (JSON.stringify(get(root, op.path)) !== JSON.stringify(op.value)) throw new Error('test failed: ' + op.path);
      } else {
        throw new Error('unknown op ' + op.op);
      }
    }
    return root;
  }
  function parent(root, path) {
    const tokens = path.split('/').slice(1).map(unescapeToken);
    const last = tokens.pop();
    let node = root;
    for (const t of tokens) {
      node = Array.isArray(node) ? node[Number(t)] : node[t];
      if (node === undefined) throw new Error('path not found: ' + path);
    }
    return [node, last];
  }
  function get(root, path) {
    if (path === '') return root;
    const [node, key] = parent(root, path);
    return Array.isArray(node) ? node[Number(key)] : node[key];
  }
  function add(root, path, value) {
    const [node, key] = parent(root, path);
    if (Array.isArray(node)) {
      const index = key === '-' ? node.length : Number(key);
      if (index < 0 || index > node.length) throw new Error('index out of range: ' + path);
      node.splice(index, 0, value);
    } else {
      node[key] = value;
    }
    return root;
  }
  function remove(root, path) {
    const [node, key] = parent(root, path);
    if (Array.isArray(node)) {
      const index = Number(key);
      if (index < 0 || index >= node.length) throw new Error('index out of range: ' + path);
      node.splice(index, 1);
    } else {
      if (!(key in node)) throw new Error('path not found: ' + path);
      delete node[key];
    }
    return root;
  }

  function Client(options) {
    this.url = options.url;
    this.onChange = options.onChange || function () {};
    this.onStatus = options.onStatus || function () {};
    this.rows = {};          // table -> id -> row
    this.views = {};         // params_hash -> {view, params, refs, version, total}
    this.pending = {};       // frame id -> callback
    this.nextId = 1;
    this.attempt = 0;
    this.connect();
  }

  Client.prototype.connect = function () {
    this.onStatus('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => { this.attempt = 0; this.onStatus('live'); this.resume(); };
    ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.onStatus('offline');
      const delay = Math.min(10000, 250 * Math.pow(2, this.attempt++)) * (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    };
  };

  Client.prototype.send = function (frame) {
    return new Promise((resolve, reject) => {
      frame.id = String(this.nextId++);
      this.pending[frame.id] = (reply) => reply.type === 'error' ? reject(reply) : resolve(reply);
      this.ws.send(JSON.stringify(frame));
    });
  };

  Client.prototype.subscribe = function (view, params) {
    return this.send({ type: 'subscribe', view: view, params: params }).then((reply) => {
      this.views[reply.params_hash] = { view: view, params: params, refs: reply.refs, version: reply.version, total: reply.total };
      this.putRows(reply.tables);
      this.changed();
      return reply.params_hash;
    });
  };

  // After a (re)connect: sync every view; the server re-subscribes the ones it lost.
  Client.prototype.resume = function () {
    const views = Object.keys(this.views).map((hash) => ({
      view: this.views[hash].view, params_hash: hash, version: this.views[hash].version, params: this.views[hash].params,
    }));
    if (views.length === 0) { if (this.onReady) this.onReady(); return; }
    this.send({ type: 'sync', views: views }).then((reply) => {
      for (const entry of reply.views) {
        const view = this.views[entry.params_hash] || Object.values(this.views).find((v) => v.view === entry.view);
        if (!view) continue;
        if (entry.mode === 'snapshot') {
          view.refs = entry.refs; view.version = entry.version;
        } else if (entry.mode === 'catch_up') {
          for (const patch of entry.patches) { view.refs = applyPatch(view.refs, patch.refs_patch); view.version = patch.version; }
        } else { continue; }
        view.total = entry.total;
        if (!this.views[entry.params_hash]) {
          for (const h of Object.keys(this.views)) if (this.views[h] === view) delete this.views[h];
          this.views[entry.params_hash] = view;
        }
        this.putRows(entry.tables);
      }
      this.changed();
    });
  };

  Client.prototype.receive = function (message) {
    if (message.reply_to) {
      const callback = this.pending[message.reply_to];
      delete this.pending[message.reply_to];
      if (callback) callback(message);
      return;
    }
    const data = message.data;
    if (message.type === 'table_diff') {
      const table = this.rows[data.table];
      if (!table || !table[data.id]) return;
      if (data.deleted) delete table[data.id]; else table[data.id] = applyPatch(table[data.id], data.patch);
      this.changed();
    } else if (message.type === 'view_diff') {
      const view = this.views[data.params_hash];
      if (!view || data.version <= view.version) return;
      if (data.version !== view.version + 1) { this.resume(); return; }
      view.refs = applyPatch(view.refs, data.refs_patch);
      view.version = data.version;
      view.total = data.total;
      this.putRows(data.tables);
      this.changed();
    } else if (message.type === 'resync') {
      this.resume();
    }
  };

  Client.prototype.putRows = function (tables) {
    for (const table of Object.keys(tables || {})) {
      this.rows[table] = this.rows[table] || {};
      Object.assign(this.rows[table], tables[table]);
    }
  };

  // The view's refs resolved to rows, nested refs included.
  Client.prototype.data = function (hash) {
    const view = this.views[hash];
    if (!view) return [];
    const resolve = (ref) => {
      const row = Object.assign({}, (this.rows[ref.table] || {})[ref.id]);
      for (const name of Object.keys(ref.nested || {})) row[name] = resolve(ref.nested[name]);
      return row;
    };
    return view.refs.map(resolve);
  };

  Client.prototype.changed = function () { this.onChange(); };

  global.ArcanaMini = { Client: Client, applyPatch: applyPatch };
})(window);
