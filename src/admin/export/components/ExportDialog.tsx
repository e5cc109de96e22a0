import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, CheckBox, H3, H5, Label, Loader, MessageBox, Radio, Text } from '@adminjs/design-system';

interface ExportDialogData {
  formats: string[];
  fields: string[];
  labels: Record<string, string>;
  defaultFields: string[];
  timeZone: string;
  total: number;
  downloadPath: string;
  progressPath: string;
  sampleFileName: string;
}

interface Progress {
  rows: number;
  /** refused: a cap on concurrent exports was reached; `error` says which. */
  state: 'starting' | 'running' | 'done' | 'cancelled' | 'failed' | 'refused';
  error?: string;
}

const FORMAT_LABELS: Record<string, string> = { csv: 'CSV', xlsx: 'Excel (XLSX)', ndjson: 'NDJSON (large exports)', json: 'JSON array' };
const POLL_MS = 500;

/** The list's own query string (filters, search, sort) that the drawer was opened with. */
function listParams(): URLSearchParams {
  const params = new URLSearchParams(window.location.search);
  for (const key of ['page', 'perPage', 'refresh']) params.delete(key);
  return params;
}

function newExportId(): string {
  return `x${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/** Export dialog: format, fields, then a streamed download with rows-written progress and a cancel button. */
const ExportDialog: React.FC<ActionProps> = ({ resource }) => {
  const { translateProperty, translateLabel } = useTranslation();
  const [data, setData] = useState<ExportDialogData>();
  const [error, setError] = useState<string>();
  const [format, setFormat] = useState('csv');
  const [fields, setFields] = useState<string[]>([]);
  const [exportId, setExportId] = useState<string>();
  const [progress, setProgress] = useState<Progress>();
  const timer = useRef<number>();

  useEffect(() => {
    new ApiClient()
      .resourceAction({ resourceId: resource.id, actionName: 'export', params: Object.fromEntries(listParams()) })
      .then((response) => {
        const dialog = (response.data as { exportDialog?: ExportDialogData }).exportDialog;
        if (!dialog) throw new Error(response.data.notice?.message ?? 'export is not available');
        setData(dialog);
        setFormat(dialog.formats[0] ?? 'csv');
        setFields(dialog.defaultFields);
      })
      .catch((reason: Error) => setError(reason.message));
    return () => window.clearInterval(timer.current);
  }, [resource.id]);

  const poll = (id: string, path: string) => {
    window.clearInterval(timer.current);
    timer.current = window.setInterval(async () => {
      const response = await fetch(`${path}/${id}`, { credentials: 'same-origin' });
      if (!response.ok) return; // not started yet
      const next = (await response.json()) as Progress;
      setProgress(next);
      if (next.state !== 'running') window.clearInterval(timer.current);
    }, POLL_MS);
  };

  const start = () => {
    if (!data) return;
    const id = newExportId();
    const params = listParams();
    params.set('format', format);
    params.set('fields', fields.join(','));
    params.set('exportId', id);
    const link = document.createElement('a');
    link.href = `${data.downloadPath}?${params.toString()}`;
    link.download = '';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setExportId(id);
    setProgress({ rows: 0, state: 'starting' });
    poll(id, data.progressPath);
  };

  const cancel = async () => {
    if (!data || !exportId) return;
    await fetch(`${data.progressPath}/${exportId}/cancel`, { method: 'POST', credentials: 'same-origin' });
  };

  const toggle = (field: string) => setFields((current) => (current.includes(field) ? current.filter((f) => f !== field) : [...current, field]));

  if (error) return <MessageBox message={error} variant="danger" />;
  if (!data) return <Loader />;
  const running = progress?.state === 'starting' || progress?.state === 'running';
  return (
    <Box variant="white" data-testid="export-dialog">
      <H3>Export {translateLabel(resource.name, resource.id)}</H3>
      <Text mb="lg">
        {data.total.toLocaleString()} records match the list's filters and search; all of them are exported, in the list's order.
      </Text>
      <H5>Format</H5>
      <Box mb="lg">
        {data.formats.map((value) => (
          <Box key={value} mb="sm">
            <Radio id={`export-format-${value}`} checked={format === value} onChange={() => setFormat(value)} disabled={running} />
            <Label inline htmlFor={`export-format-${value}`} ml="default">
              {FORMAT_LABELS[value] ?? value}
            </Label>
          </Box>
        ))}
      </Box>
      <H5>Fields</H5>
      <Box mb="lg">
        {data.fields.map((field) => (
          <Box key={field} mb="sm">
            <CheckBox id={`export-field-${field}`} checked={fields.includes(field)} onChange={() => toggle(field)} disabled={running} />
            <Label inline htmlFor={`export-field-${field}`} ml="default" title={field}>
              {data.labels[field] ?? translateProperty(field, resource.id)}
            </Label>
          </Box>
        ))}
      </Box>
      <Text mb="sm" variant="sm">
        {format === 'csv' || format === 'xlsx' ? 'Column headers are the labels above' : 'Keys are the field names (shown on hover)'}; times are in {data.timeZone}
        {format === 'xlsx' ? '' : ' (ISO 8601 with offset)'}.
      </Text>
      <Text mb="lg" variant="sm">File: {data.sampleFileName.replace(/\.csv$/, `.${format}`)}</Text>
      {progress?.state === 'refused' && (
        <Box mb="lg" data-testid="export-refused">
          <MessageBox message={`Not exported: ${progress.error ?? 'too many exports are running.'}`} variant="info" />
        </Box>
      )}
      {progress && progress.state !== 'refused' && (
        <Box mb="lg" data-testid="export-progress">
          <Text>
            {progress.rows.toLocaleString()} of {data.total.toLocaleString()} rows written ({progress.state === 'starting' ? 'starting' : progress.state})
          </Text>
          {progress.error && <MessageBox message={progress.error} variant="danger" />}
        </Box>
      )}
      <Box flex>
        <Button variant="contained" onClick={start} disabled={running || fields.length === 0} mr="default">
          Export
        </Button>
        {running && (
          <Button variant="outlined" onClick={cancel}>
            Cancel
          </Button>
        )}
      </Box>
    </Box>
  );
};

export default ExportDialog;
