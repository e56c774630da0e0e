// Loaded before every vitest file: @peculiar/x509 needs the reflect polyfill first.
import "reflect-metadata";
import { setLogDestination } from "../lib/log/logger";

// The JSON log lines of lib/log are discarded in tests (captureLogs() in test/log asserts on
// them); run vitest with LOG_LEVEL set to see them on stdout.
if (!process.env.LOG_LEVEL) setLogDestination({ write: () => true });
