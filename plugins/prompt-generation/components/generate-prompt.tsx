import React, { useState } from 'react';
import { ApiClient, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, Input, Label, MessageBox, TextArea, Text } from '@adminjs/design-system';

const api = new ApiClient();
const FIELDS = [
  { name: 'businessType', label: 'Business type', required: true },
  { name: 'tone', label: 'Tone', required: false },
  { name: 'language', label: 'Language', required: false },
  { name: 'audience', label: 'Typical customers', required: false },
] as const;

/** "Generate prompt": a form whose submit runs the generation on the server and shows the prompt. */
export default function GeneratePrompt({ resource, action }: ActionProps) {
  const [values, setValues] = useState<Record<string, string>>({ tone: 'friendly and professional', language: 'English' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ prompt?: string; error?: string } | null>(null);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      const response = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: values });
      setResult(response.data.result ?? { error: response.data.notice?.message });
    } catch (error) {
      setResult({ error: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid="generate-prompt-form">
      {FIELDS.map((field) => (
        <FormGroup key={field.name}>
          <Label required={field.required}>{field.label}</Label>
          <Input name={field.name} value={values[field.name] ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [field.name]: e.target.value })} />
        </FormGroup>
      ))}
      <FormGroup>
        <Label>Additional instructions</Label>
        <TextArea name="instructions" value={values.instructions ?? ''} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setValues({ ...values, instructions: e.target.value })} />
      </FormGroup>
      <Button type="submit" variant="contained" disabled={busy}>{busy ? 'Generating…' : 'Generate prompt'}</Button>
      {result?.error ? <MessageBox mt="lg" variant="danger" message={result.error} /> : null}
      {result?.prompt ? (
        <Box mt="lg" data-testid="generated-prompt">
          <Text style={{ whiteSpace: 'pre-wrap' }}>{result.prompt}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
