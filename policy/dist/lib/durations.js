// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var durations_exports = {};
__export(durations_exports, {
  awsScheduleIntervalDays: () => awsScheduleIntervalDays,
  goDurationSeconds: () => goDurationSeconds,
  googleDurationSeconds: () => googleDurationSeconds,
  vaultTtlSeconds: () => vaultTtlSeconds
});
module.exports = __toCommonJS(durations_exports);
const GO_UNITS = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600
};
function goDurationSeconds(text) {
  if (text === "0") return 0;
  const parts = text.match(/^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/) ? text.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g) : null;
  if (!parts) return void 0;
  return parts.reduce((sum, part) => {
    const [, amount, unit] = part.match(/^(\d+(?:\.\d+)?)(.+)$/);
    return sum + Number(amount) * GO_UNITS[unit];
  }, 0);
}
function vaultTtlSeconds(value) {
  if (typeof value === "number") return value;
  if (typeof value === "string") return /^\d+$/.test(value) ? Number(value) : goDurationSeconds(value);
  return void 0;
}
function googleDurationSeconds(text) {
  const m = text.match(/^(\d+(?:\.\d+)?)s$/);
  return m ? Number(m[1]) : void 0;
}
function awsScheduleIntervalDays(expression) {
  const rate = expression.match(/^rate\((\d+) (day|days|hour|hours)\)$/);
  if (rate) return rate[2].startsWith("day") ? Number(rate[1]) : Number(rate[1]) / 24;
  const cron = expression.match(/^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/);
  if (!cron) return void 0;
  const [, , , dayOfMonth, month, dayOfWeek] = cron;
  const fixed = (field) => field !== "*" && field !== "?";
  if (fixed(month)) return 366;
  if (fixed(dayOfMonth)) return 31;
  if (fixed(dayOfWeek)) return 7;
  return 1;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsScheduleIntervalDays,
  goDurationSeconds,
  googleDurationSeconds,
  vaultTtlSeconds
});
