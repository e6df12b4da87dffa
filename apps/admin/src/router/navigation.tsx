import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'
import { appPath, mountedBasePath, parseRoute, type Route } from './routes.ts'

const NAVIGATE_EVENT = 'podlaunch:navigate'

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE_EVENT, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE_EVENT, onChange)
  }
}

let base: string | undefined
/** The server's basePath for this app ('' at the root); every href below is the app's own path. */
export const basePath = () => (base ??= mountedBasePath(document))

const currentPath = () => appPath(window.location.pathname, basePath())

export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath)
}

export function useRoute(): Route {
  return parseRoute(usePathname())
}

export function navigate(href: string, options: { replace?: boolean } = {}) {
  const url = `${basePath()}${href}`
  if (options.replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
  window.scrollTo(0, 0)
}

/** An ordinary link (middle-click and "open in new tab" still work) that routes in the page. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
  }
  return <a href={`${basePath()}${href}`} onClick={handle} {...rest} />
}
