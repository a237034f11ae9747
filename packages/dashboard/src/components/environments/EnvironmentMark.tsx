/**
 * Marks a page with the environment it shows. `callApi` sends it as `?environment=`, so a change made on
 * the page acts where the page shows, even after the switcher in another tab changed the cookie. Render it
 * once in each page whose components call the API (not in the layout, which soft navigation keeps).
 */
export function EnvironmentMark({ environment }: { environment: string }) {
  return <span hidden data-page-environment={environment} />;
}
