/** The guide's languages, labelled exactly as Starlight's synced tabs label them. */
export const codeLanguages = ['curl', 'TypeScript', 'Python', 'Go', 'Java', 'C#'] as const;

export type CodeLanguage = (typeof codeLanguages)[number];

/** Shiki's grammar for each language. */
export const grammarOf = {
  curl: 'bash',
  TypeScript: 'typescript',
  Python: 'python',
  Go: 'go',
  Java: 'java',
  'C#': 'csharp',
} as const satisfies Record<CodeLanguage, string>;
