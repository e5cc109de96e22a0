import React, { useEffect, useState } from 'react';
import { ApiClient, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, H3, H5, Label, Loader, MessageBox, Radio, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

interface ImportDialogData {
  fields: string[];
  labels: Record<string, string>;
  defaultMode: string;
  modes: string[];
  maxFileBytes: number;
  maxRows: number;
}

interface ImportReport {
  lineUnit: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  committed: boolean;
  ignoredColumns: string[];
  errors: { line: number; field?: string; message: string }[];
  moreErrors: number;
  labels: Record<string, string>;
}

/** `1 row`, `2 rows`. */
const counted = (count: number, noun: string) => `${count.toLocaleString()} ${noun}${count === 1 ? '' : 's'}`;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const MODE_LABELS: Record<string, string> = { atomic: 'All rows or none (one transaction)', 'per-row': 'Keep the good rows, skip the bad ones' };

/** Import dialog: a file (CSV, JSON, NDJSON, XLSX), the mode, then the report of every bad row by line. */
const ImportDialog: React.FC<ActionProps> = ({ resource }) => {
  const { translateLabel } = useTranslation();
  const [data, setData] = useState<ImportDialogData>();
  const [file, setFile] = useState<File>();
  const [mode, setMode] = useState('atomic');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [report, setReport] = useState<ImportReport>();

  useEffect(() => {
    new ApiClient()
      .resourceAction({ resourceId: resource.id, actionName: 'import' })
      .then((response) => {
        const body = response.data as { importDialog?: ImportDialogData; importError?: string };
        if (!body.importDialog) throw new Error(body.importError ?? 'import is not available');
        setData(body.importDialog);
        setMode(body.importDialog.defaultMode);
      })
      .catch((reason: Error) => setError(reason.message));
  }, [resource.id]);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      const form = new FormData();
      form.append('file', file);
      form.append('mode', mode);
      const response = await new ApiClient().resourceAction({ resourceId: resource.id, actionName: 'import', method: 'post', data: form });
      const body = response.data as { importReport?: ImportReport; importError?: string };
      if (body.importError) setError(body.importError);
      setReport(body.importReport);
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!data) return error ? <MessageBox message={error} variant="danger" /> : <Loader />;
  return (
    <Box variant="white" data-testid="import-dialog">
      <H3>Import into {translateLabel(resource.name, resource.id)}</H3>
      <Text mb="lg">
        Columns: {data.fields.map((field) => data.labels[field] ?? field).join(', ')} (headers as exported, labels or field names). Rows with an existing id update that record; a re-imported
        export changes nothing. At most {counted(data.maxRows, 'row')}.
      </Text>
      <Box mb="lg">
        <input type="file" accept=".csv,.json,.ndjson,.jsonl,.xlsx" onChange={(event) => setFile(event.target.files?.[0])} disabled={busy} />
      </Box>
      {data.modes.length > 1 && (
        <Box mb="lg">
          <H5>Mode</H5>
          {data.modes.map((value) => (
            <Box key={value} mb="sm">
              <Radio id={`import-mode-${value}`} checked={mode === value} onChange={() => setMode(value)} disabled={busy} />
              <Label inline htmlFor={`import-mode-${value}`} ml="default">
                {MODE_LABELS[value] ?? value}
              </Label>
            </Box>
          ))}
        </Box>
      )}
      <Button variant="contained" onClick={upload} disabled={!file || busy} mb="lg">
        {busy ? 'Importing…' : 'Import'}
      </Button>
      {error && <MessageBox message={error} variant="danger" mb="lg" />}
      {report && (
        <Box data-testid="import-report">
          <Text mb="default">
            {report.committed
              ? `Committed: ${counted(report.rows, 'row')}, ${report.created.toLocaleString()} created, ${report.updated.toLocaleString()} updated, ${report.unchanged.toLocaleString()} unchanged${report.failed > 0 ? `, ${report.failed.toLocaleString()} skipped` : ''}.`
              : `Nothing was written: ${report.failed.toLocaleString()} of ${counted(report.rows, 'row')} ${report.failed === 1 ? 'is' : 'are'} invalid. Correct ${report.failed === 1 ? 'it' : 'them'} and import the file again.`}
          </Text>
          {report.ignoredColumns.length > 0 && <Text mb="default">Read-only columns ignored: {report.ignoredColumns.map((field) => report.labels[field] ?? field).join(', ')}</Text>}
          {report.errors.length > 0 && (
            <Table>
              <TableHead>
                <TableRow>
                  <TableCell>{capitalised(report.lineUnit)}</TableCell>
                  <TableCell>Field</TableCell>
                  <TableCell>Problem</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.errors.map((item, index) => (
                  <TableRow key={index}>
                    <TableCell>{item.line}</TableCell>
                    <TableCell title={item.field}>{item.field ? (report.labels[item.field] ?? item.field) : ''}</TableCell>
                    <TableCell>{item.message}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {report.moreErrors > 0 && <Text>…and {counted(report.moreErrors, 'more problem')}.</Text>}
        </Box>
      )}
    </Box>
  );
};

export default ImportDialog;
