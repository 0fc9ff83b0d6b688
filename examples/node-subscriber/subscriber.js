// Another department's subscriber to thidua's events (thi đua – khen thưởng), in Node.js.
//
// It declares its own durable queue (named dept.<something>), binds it to the events exchange for
// the event types it wants, and prints every CloudEvent it receives, one line each (or the whole
// event as JSON with --json). Only amqplib and the CloudEvents SDK; nothing from thidua.
//
//   npm ci
//   THIDUA_AMQP_URL=amqp://department:department-dev@127.0.0.1:5672/ \
//     node subscriber.js --queue dept.noi-vu --bind campaign.launched --bind 'report.*'

import { parseArgs } from "node:util";

import amqp from "amqplib";
import { HTTP } from "cloudevents";

const DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/";
const DEFAULT_EXCHANGE = "thidua.events";
const DEFAULT_QUEUE = "dept.example-node";
// Delivery is at-least-once: after a reconnect, a broker restart or a crash on thidua's side the
// same event (same id) may arrive again. This example remembers the ids it printed recently, in
// memory, so a restart forgets them; a real subscriber keeps them in its own database, written in
// the same transaction as the event's effect, so that it applies each event once for good.
const REMEMBERED_IDS = 100_000;
// Fields that say the most about an event, in the order they are shown in the summary.
const SUMMARY_FIELDS = [
  "document_number",
  "title",
  "year",
  "unit_code",
  "cluster",
  "phase_number",
  "kind",
  "version",
  "subject_code",
  "reason",
  "in_force",
];
const SUMMARY_LENGTH = 100;

function fail(message, exitCode = 2) {
  console.error(message);
  process.exit(exitCode);
}

function parseArguments(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      queue: { type: "string", default: process.env.THIDUA_DEPT_QUEUE ?? DEFAULT_QUEUE },
      bind: { type: "string", multiple: true },
      once: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(
      "usage: node subscriber.js [--queue dept.NAME] [--bind ROUTING_KEY]... [--once N] [--json]",
    );
    process.exit(0);
  }
  if (!values.queue.startsWith("dept.")) {
    fail(`--queue ${values.queue}: the department account may only use dept.*`);
  }
  const once = values.once === undefined ? undefined : Number(values.once);
  if (once !== undefined && !(Number.isInteger(once) && once >= 1)) {
    fail("--once must be a whole number of at least 1");
  }
  return { queue: values.queue, bindings: values.bind ?? ["#"], once, json: values.json };
}

function isScalar(value) {
  return ["string", "number", "boolean"].includes(typeof value) && value !== "";
}

function summarize(data) {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return "";
  }
  const parts = SUMMARY_FIELDS.filter((name) => isScalar(data[name])).map(
    (name) => `${name}=${data[name]}`,
  );
  for (const [name, value] of Object.entries(data)) {
    if (Array.isArray(value) && value.length > 0) {
      parts.push(`${name}: ${value.length}`);
    }
  }
  const summary = parts.join(" ");
  return summary.length <= SUMMARY_LENGTH ? summary : `${summary.slice(0, SUMMARY_LENGTH - 1)}…`;
}

function asLine(event) {
  return [event.time ?? "-", event.type, event.id, event.subject ?? "-", summarize(event.data)].join(
    "  ",
  );
}

// The SDK has no AMQP binding, but its HTTP deserializer reads the same two shapes RabbitMQ
// carries: structured mode (content type application/cloudevents+json, as thidua publishes)
// and binary mode (ce- headers), so the AMQP content type stands in for the HTTP header.
function parse(message) {
  const headers = { ...(message.properties.headers ?? {}) };
  headers["content-type"] = message.properties.contentType ?? "application/json";
  const event = HTTP.toEvent({ headers, body: message.content.toString("utf8") });
  if (Array.isArray(event)) {
    throw new Error("a batch of events; thidua publishes one event per message");
  }
  event.validate();
  return event;
}

class SeenIds {
  constructor(capacity) {
    this.ids = new Set();
    this.capacity = capacity;
  }

  // False when the id was already seen.
  add(id) {
    if (this.ids.has(id)) {
      return false;
    }
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      this.ids.delete(this.ids.values().next().value);
    }
    return true;
  }
}

async function subscribe(options, url, exchange) {
  const connection = await amqp.connect(url);
  let closing = false;
  connection.on("error", (error) => console.error(`connection error: ${error.message}`));
  connection.on("close", () => {
    if (!closing) {
      fail("connection to the broker lost; run me under a supervisor to restart", 1);
    }
  });
  // Setting the exit code rather than calling process.exit lets pending output drain first.
  const stop = async (exitCode) => {
    if (closing) {
      return;
    }
    closing = true;
    process.exitCode = exitCode;
    await connection.close();
  };
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));

  const channel = await connection.createChannel();
  // A channel error closes the channel too: reported here, acted on by the close handler below.
  channel.on("error", (error) => console.error(`channel error: ${error.message}`));
  try {
    // Only checks it exists: the department account may read the exchange, not declare it.
    await channel.checkExchange(exchange);
  } catch {
    console.error(`exchange '${exchange}' does not exist: is thidua running?`);
    await stop(2);
    return;
  }
  channel.on("close", () => {
    if (!closing) {
      fail("the broker closed the channel", 1);
    }
  });
  await channel.assertQueue(options.queue, {
    durable: true,
    arguments: { "x-queue-type": "quorum" },
  });
  for (const routingKey of options.bindings) {
    await channel.bindQueue(options.queue, exchange, routingKey);
  }
  await channel.prefetch(50);

  const seen = new SeenIds(REMEMBERED_IDS);
  let printed = 0;
  await channel.consume(options.queue, (message) => {
    if (message === null) {
      fail(`the broker cancelled the consumer: was ${options.queue} deleted?`, 1);
    }
    if (closing) {
      return;
    }
    let event;
    try {
      event = parse(message);
    } catch (error) {
      console.error(`not a CloudEvent, dropped: ${error.message ?? error}`);
      channel.reject(message, false);
      return;
    }
    if (seen.add(event.id)) {
      console.log(options.json ? JSON.stringify(event.toJSON()) : asLine(event));
      printed += 1;
    } else {
      console.error(`duplicate ${event.id} skipped`);
    }
    // Acked only once printed: if we stop before this, the broker delivers it again.
    channel.ack(message);
    if (options.once !== undefined && printed >= options.once) {
      stop(0).catch((error) => fail(`closing failed: ${error.message}`, 1));
    }
  });
  console.error(
    `listening on ${options.queue} bound to ${exchange} with ${options.bindings.join(", ")}; ` +
      "duplicates (same event id) are printed once",
  );
}

const options = parseArguments(process.argv.slice(2));
await subscribe(
  options,
  process.env.THIDUA_AMQP_URL ?? DEFAULT_AMQP_URL,
  process.env.THIDUA_EVENTS_EXCHANGE ?? DEFAULT_EXCHANGE,
);
