import { headers } from 'next/headers'
import { clientFor } from '../lib/api.ts'
import { sessionUser } from '../lib/session.ts'

export const dynamic = 'force-dynamic'

export default async function Home() {
  const cookie = (await headers()).get('cookie') ?? ''
  const user = sessionUser(cookie)
  if (!user) return <LoginForm />
  const { items } = await clientFor(cookie).deployments.list.query({ limit: 50 })
  return (
    <main>
      <h1>{`Deployments of ${user.name}`}</h1>
      {items.length === 0 ? (
        <p>No deployments yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Provider</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((deployment) => (
              <tr key={deployment.id} data-deployment-id={deployment.id}>
                <td>{deployment.name}</td>
                <td data-status={deployment.status}>{deployment.status}</td>
                <td>{deployment.provider}</td>
                <td>{new Date(deployment.createdAt).toISOString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form action="/logout" method="post">
        <button type="submit">Sign out</button>
      </form>
    </main>
  )
}

function LoginForm() {
  return (
    <main>
      <h1>Sign in</h1>
      <form action="/login" method="post">
        <label>
          Name <input name="name" autoComplete="username" required />
        </label>{' '}
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>{' '}
        <button type="submit">Sign in</button>
      </form>
    </main>
  )
}
