import { useQuery } from '@tanstack/react-query'
import { Link } from './router/navigation.tsx'
import type { Route } from './router/routes.ts'
import { useTRPC } from './trpc.ts'

const SECTIONS = [
  { href: '/deployments', label: 'Deployments', match: ['deployments', 'deployment'] },
  { href: '/deployments/new', label: 'New deployment', match: ['new-deployment'] },
  { href: '/datasets', label: 'Datasets', match: ['datasets'] },
  { href: '/api-keys', label: 'API keys', match: ['api-keys'] },
] as const

export function Header({ route, onLogout }: { route: Route; onLogout: () => void }) {
  const trpc = useTRPC()
  const me = useQuery(trpc.me.queryOptions(undefined, { staleTime: Infinity }))
  return (
    <header className="topbar">
      <Link href="/deployments" className="brand">
        podlaunch
      </Link>
      <nav aria-label="Sections">
        {SECTIONS.map((section) => (
          <Link
            key={section.href}
            href={section.href}
            aria-current={(section.match as readonly string[]).includes(route.name) ? 'page' : undefined}
          >
            {section.label}
          </Link>
        ))}
      </nav>
      <div className="who">
        {me.data && (
          <span className="muted" title={me.data.isAdmin ? 'administrator' : undefined}>
            {me.data.name}
          </span>
        )}
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </div>
    </header>
  )
}
