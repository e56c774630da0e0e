// Loaded before every vitest file: @peculiar/x509 needs the reflect polyfill first.
import "reflect-metadata";
