// @vitest-environment jsdom
// The operator's branding in the app: what api/branding may say (and what is dropped), the accent's
// readable text colour, and the sign-in page showing name, logo, line and title.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/components/App.js';
import { BrandingProvider } from '../src/components/Brand.js';
import { applyAccent, parseBranding, textOn } from '../src/session/branding.js';
import { StoreProvider } from '../src/store/context.js';
import { setup } from './support/app.js';

afterEach(() => cleanup());

describe('parseBranding', () => {
  it('keeps well-formed values, resolves the logo against the page and drops the rest', () => {
    expect(
      parseBranding({
        title: 'Example Mail',
        productName: 'Example Webmail',
        logo: 'api/branding/logo',
        accentColor: '#0b7a4b',
        signInText: 'Ask the help desk.',
      }),
    ).toEqual({
      title: 'Example Mail',
      productName: 'Example Webmail',
      logoUrl: new URL('api/branding/logo', document.baseURI).href,
      accentColor: '#0b7a4b',
      signInText: 'Ask the help desk.',
    });
    expect(parseBranding({ title: null, productName: '  ', accentColor: 'red', logo: 7 })).toEqual({});
    expect(parseBranding(null)).toEqual({});
    expect(parseBranding('webpop')).toEqual({});
  });
});

describe('the accent colour', () => {
  it('gets white text when dark and near-black text when light', () => {
    expect(textOn('#2457c5')).toBe('#ffffff');
    expect(textOn('#0b7a4b')).toBe('#ffffff');
    expect(textOn('#ffd400')).toBe('#0b1020');
    expect(textOn('#ffffff')).toBe('#0b1020');
    expect(textOn('#000000')).toBe('#ffffff');
  });

  it('is set on the document with its text colour, and nothing changes without one', () => {
    const root = document.createElement('div');
    applyAccent(root, undefined);
    expect(root.getAttribute('style')).toBeNull();
    applyAccent(root, '#ffd400');
    expect(root.style.getPropertyValue('--accent')).toBe('#ffd400');
    expect(root.style.getPropertyValue('--accent-text')).toBe('#0b1020');
  });
});

describe('the sign-in page', () => {
  it('shows the configured name, logo and line, and the title', async () => {
    const { store } = setup();
    render(
      <StoreProvider store={store}>
        <BrandingProvider
          branding={{
            title: 'Example Mail',
            productName: 'Example Webmail',
            logoUrl: 'http://127.0.0.1/api/branding/logo',
            signInText: 'Ask the help desk.',
          }}
        >
          <App />
        </BrandingProvider>
      </StoreProvider>,
    );
    expect(await screen.findByText('Example Webmail')).toBeTruthy();
    expect(screen.getByText('Ask the help desk.')).toBeTruthy();
    expect(document.querySelector('img.brand-logo')?.getAttribute('src')).toBe(
      'http://127.0.0.1/api/branding/logo',
    );
    await waitFor(() => expect(document.title).toBe('Example Mail'));
  });

  it('shows webpop and no line without branding', async () => {
    const { store } = setup();
    render(
      <StoreProvider store={store}>
        <App />
      </StoreProvider>,
    );
    expect(await screen.findByText('webpop')).toBeTruthy();
    expect(document.querySelector('.signin-note')).toBeNull();
    expect(document.querySelector('img.brand-logo')).toBeNull();
    await waitFor(() => expect(document.title).toBe('webpop'));
  });
});
