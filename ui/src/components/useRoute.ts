import { useEffect, useState } from "react";

export type Route = "dashboard" | "accounts" | "operations" | "panels" | "alerts" | "settings";
const ROUTES: Route[] = ["dashboard", "accounts", "operations", "panels", "alerts", "settings"];

function current(): Route {
  const hash = window.location.hash.replace(/^#\/?/, "");
  return ROUTES.find((r) => r === hash) ?? "accounts";
}

/** The page shown, kept in the URL hash so a reload stays on it. */
export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const onHash = () => setRoute(current());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  return [route, (r) => (window.location.hash = `#/${r}`)];
}

export const NAV: Route[] = ROUTES;
