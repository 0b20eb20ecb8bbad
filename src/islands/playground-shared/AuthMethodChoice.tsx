import type { ReactNode } from 'react';
import type { ClientSecretAuthMethod } from '../../lib/sandbox-contract/client-auth-methods.ts';
import { authMethodLabels, clientSecretAuthMethods } from './auth-method-labels.ts';
import { ChoiceGroup } from './ChoiceGroup.tsx';

/** Basic header or form body (RFC 6749 §2.3.1): the registration's and the token request's choice. */
export function AuthMethodChoice(props: {
  legend: string;
  name: string;
  value: ClientSecretAuthMethod;
  onChange: (method: ClientSecretAuthMethod) => void;
  disabled: boolean;
  children?: ReactNode;
}) {
  return (
    <ChoiceGroup
      {...props}
      options={clientSecretAuthMethods}
      label={(method) => (
        <>
          {authMethodLabels[method]} (<code>{method}</code>)
        </>
      )}
    />
  );
}
