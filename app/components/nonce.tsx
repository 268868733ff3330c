import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this response (server.ts makes one per request). Every
 * script Remix renders carries it; in the browser it is empty (browsers hide nonces from the
 * DOM, and hydration does not need it).
 */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
