import { devSignIn, keepToken, renewBeforeEnd, signOut, tokenFor } from './session.js'

// The development sign-in hands out no admin token: an admin pastes one.
const devRoles = { customer: 'a guest', staff: 'staff' }

/**
 * The header's sign-in: the person signed in as `role`, or a development sign-in button (for a guest or staff) and
 * a field to paste a token. Calls `onToken` with the token once there is one, and `onRenewed` with each token that
 * replaces it before it ends (or asks for a new one to be pasted when none can be had).
 */
export function renderSignIn(container, role, subject, onToken, onRenewed) {
  const token = tokenFor(role)
  container.replaceChildren()
  if (token) {
    const out = button(`Sign out (${role})`, 'secondary', () => {
      signOut(role)
      location.reload()
    })
    container.append(out)
    onToken(token)
    renewBeforeEnd(role, { onRenewed, onEnding: () => container.append(Object.assign(document.createElement('span'), { className: 'error', role: 'alert', textContent: ' Your token ends soon: sign out and paste a new one.' })) })
    return
  }
  const dev = button(`Sign in as ${devRoles[role]} (development)`, '', async () => {
    try {
      await devSignIn(role, subject)
      renderSignIn(container, role, subject, onToken, onRenewed)
    } catch (err) {
      message.textContent = err.message
    }
  })
  const label = document.createElement('label')
  label.textContent = 'or paste a token '
  const input = document.createElement('input')
  input.name = 'token'
  input.autocomplete = 'off'
  label.append(input)
  const use = button('Use token', 'secondary', () => {
    if (!input.value.trim()) return
    keepToken(role, input.value)
    renderSignIn(container, role, subject, onToken, onRenewed)
  })
  const message = document.createElement('span')
  message.className = 'error'
  message.setAttribute('role', 'alert')
  container.append(...(devRoles[role] ? [dev] : []), label, use, message)
}

export function button(text, className, onClick) {
  const element = document.createElement('button')
  element.type = 'button'
  element.textContent = text
  if (className) element.className = className
  element.addEventListener('click', onClick)
  return element
}
