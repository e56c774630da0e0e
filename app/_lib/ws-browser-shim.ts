// In the browser, the webcrypto-socket client's `ws` import is the platform WebSocket.
export default globalThis.WebSocket;
