import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors/app-error';
import { openCsvTable } from '../../server/services/datasets/csv-records';
import { compileMapping } from '../../server/services/metadata/mapping';
import { deriveOutcomes, type OutcomeAward, type OutcomeEnrollment, type OutcomeStudent, type OutcomeTerm } from '../../server/services/metadata/outcomes';
import type { DatasetKind, StandardRow } from '../../server/services/metadata/standard-model';
import { suggestMapping } from '../../server/services/metadata/suggest-mapping';
import {
  DEFAULT_EFFECT_ON_RETENTION_LOGIT,
  generateSisExport,
  raceCodes,
  sisExportChunks,
  sisFileLines,
  sisFileNames,
  sisHeaders,
  streamSisExport,
  type SisFileName,
} from './sis-generator';

const demo = generateSisExport({ seed: 2024 });

async function readTable(text: string): Promise<{ header: string[]; rows: string[][] }> {
  const table = await openCsvTable([new TextEncoder().encode(text)]);
  const rows: string[][] = [];
  for await (const row of table.rows) rows.push(row.fields);
  return { header: table.header, rows };
}

const dataLines = (text: string): string[] => text.split('\n').slice(1, -1);

describe('generateSisExport', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateSisExport({ seed: 2024 });
    expect(again.files).toEqual(demo.files);
    expect(again.truth).toEqual(demo.truth);
    const other = generateSisExport({ seed: 2025, students: 300 });
    expect(other.files['students.csv']).not.toEqual(generateSisExport({ seed: 2024, students: 300 }).files['students.csv']);
  });

  it('writes CSVs that parse, with the expected headers and row counts', async () => {
    for (const file of sisFileNames) {
      const { header, rows } = await readTable(demo.files[file]);
      expect(header, file).toEqual(sisHeaders[file]);
      expect(rows.length, file).toBe(demo.truth.rows[file]);
      expect(rows.every((r) => r.length === header.length), file).toBe(true);
    }
    expect(demo.truth.rows['students.csv']).toBe(4000);
    expect(demo.truth.rows['terms.csv']).toBe(17); // summer 2019 … fall 2024: 2 + 5 × 3
    expect(demo.truth.rows['enrollments.csv']).toBeGreaterThan(4 * 4000);
    expect(demo.truth.rows['awards.csv']).toBeGreaterThan(200);
    expect(generateSisExport({ seed: 1, students: 50, awards: false }).files['awards.csv']).toBe('');
  });

  it('uses Banner codes and formats', async () => {
    const terms = (await readTable(demo.files['terms.csv'])).rows;
    expect(terms[0]).toEqual(['201950', 'Summer 2019', expect.stringMatching(/^2019-05-\d\d$/), expect.stringMatching(/^2019-08/), expect.any(String)]);
    for (const [code, , start, end, census] of terms) {
      expect(code).toMatch(/^20\d\d(10|50|80)$/);
      expect(start! < census! && census! < end!).toBe(true);
    }
    const students = (await readTable(demo.files['students.csv'])).rows;
    const col = (name: string) => sisHeaders['students.csv'].indexOf(name);
    expect(new Set(students.map((r) => r[col('SGBSTDN_TERM_CODE_ADMIT')]))).toEqual(new Set(['201980', '202080', '202180', '202280', '202380']));
    expect(new Set(students.map((r) => r[col('SGBSTDN_STYP_CODE')]))).toEqual(new Set(['F', 'T']));
    for (const r of students) {
      expect(Object.keys(raceCodes)).toContain(r[col('SPBPERS_ETHN_CODE')]);
      expect(r[col('SPBPERS_BIRTH_DATE')]).toMatch(/^\d\d-(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)-(19|20)\d\d$/);
      const gpa = Number(r[col('SORHSCH_GPA')]);
      expect(gpa >= 1.6 && gpa <= 4).toBe(true);
    }
    const satMissing = students.filter((r) => r[col('SORTEST_TEST_SCORE')] === '').length / students.length;
    expect(satMissing).toBeGreaterThan(0.14);
    expect(satMissing).toBeLessThan(0.26);
    const enrollments = (await readTable(demo.files['enrollments.csv'])).rows;
    for (const [, term, load, attempted, earned, gpa, cum] of enrollments) {
      expect(term).toMatch(/^20\d\d(10|80)$/);
      expect(['F', 'P']).toContain(load);
      expect(Number(earned)).toBeLessThanOrEqual(Number(attempted));
      expect(load === 'F' ? Number(attempted) >= 12 : Number(attempted) < 12).toBe(true);
      expect(Number(gpa) >= 0 && Number(gpa) <= 4 && Number(cum) >= 0 && Number(cum) <= 4).toBe(true);
    }
  });

  it('derives, from the enrollment rows alone, exactly the generator’s retention indicator', async () => {
    const students = (await readTable(demo.files['students.csv'])).rows;
    const enrolled = new Set(dataLines(demo.files['enrollments.csv']).map((l) => l.split(',').slice(0, 2).join('|')));
    const byId = new Map(demo.students.map((s) => [s.id, s]));
    let checked = 0;
    for (const [id, admit, styp, degree] of students) {
      const truth = byId.get(id!)!;
      const cohort = admit!.endsWith('80') && styp === 'F' && degree === 'Y';
      expect(truth.inRetentionCohort).toBe(cohort);
      if (!cohort) {
        expect(truth.retained).toBeNull();
        continue;
      }
      const nextFall = `${Number(admit!.slice(0, 4)) + 1}80`;
      expect(enrolled.has(`${id}|${admit}`)).toBe(true);
      expect(enrolled.has(`${id}|${nextFall}`)).toBe(truth.retained);
      checked++;
    }
    expect(checked).toBe(demo.truth.cohortSize);
    // Drop-outs stop: no enrollment after a missed fall.
    const termsOf = new Map<string, string[]>();
    for (const line of dataLines(demo.files['enrollments.csv'])) {
      const [id, term] = line.split(',') as [string, string];
      termsOf.set(id, [...(termsOf.get(id) ?? []), term]);
    }
    for (const s of demo.students) {
      const list = termsOf.get(s.id) ?? [];
      expect(list[0]).toBe(s.cohortTerm);
      if (s.retained === false) expect(list.every((t) => t <= `${s.cohortTerm.slice(0, 4)}80` || t === `${Number(s.cohortTerm.slice(0, 4)) + 1}10`)).toBe(true);
    }
  });

  it('loads through the suggested Banner mapping, and the derived IPEDS retention equals the indicator', async () => {
    const mapped = {} as Record<SisFileName, StandardRow[]>;
    const kinds: Record<SisFileName, DatasetKind> = {
      'terms.csv': 'terms',
      'students.csv': 'students',
      'enrollments.csv': 'term_enrollments',
      'participation.csv': 'participation',
      'awards.csv': 'awards',
    };
    const expected: Record<SisFileName, Record<string, string>> = {
      'terms.csv': { term_code: 'STVTERM_CODE', start: 'STVTERM_START_DATE', end: 'STVTERM_END_DATE', census_date: 'STVTERM_CENSUS_DATE' },
      'students.csv': {
        student_key: 'SPRIDEN_ID',
        cohort_term: 'SGBSTDN_TERM_CODE_ADMIT',
        first_time: 'SGBSTDN_STYP_CODE',
        degree_seeking: 'DEGREE_SEEKING_IND',
        sex: 'SPBPERS_SEX',
        race_ethnicity: 'SPBPERS_ETHN_CODE',
        first_generation: 'FIRST_GEN_IND',
        residency: 'SGBSTDN_RESD_CODE',
        hs_gpa: 'SORHSCH_GPA',
        test_score: 'SORTEST_TEST_SCORE',
        pell_eligible_at_entry: 'PELL_ELIG_IND',
        birth_year: 'SPBPERS_BIRTH_DATE',
      },
      'enrollments.csv': {
        student_key: 'SPRIDEN_ID',
        term: 'SFRSTCR_TERM_CODE',
        full_time: 'SFBETRM_FULL_PART_IND',
        credits_attempted: 'SHRTGPA_HOURS_ATTEMPTED',
        credits_earned: 'SHRTGPA_HOURS_EARNED',
        term_gpa: 'SHRTGPA_GPA',
        cumulative_gpa: 'SHRLGPA_GPA',
      },
      'participation.csv': { student_key: 'SPRIDEN_ID', intervention: 'PROGRAM_NAME', term: 'TERM_CODE', participated: 'PARTICIPATED', eligible: 'ELIGIBLE', dose: 'SESSIONS' },
      'awards.csv': { student_key: 'SPRIDEN_ID', award_level: 'SHRDGMR_DEGC_CODE', cip: 'STVMAJR_CIPC_CODE', award_date: 'SHRDGMR_GRAD_DATE' },
    };
    for (const file of sisFileNames) {
      const { header, rows } = await readTable(demo.files[file]);
      // Profiles as the profiler would give them: top values by count.
      const profiles = header.map((name, c) => {
        const counts = new Map<string, number>();
        for (const r of rows) counts.set(r[c]!, (counts.get(r[c]!) ?? 0) + 1);
        const topValues = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([value, count]) => ({ value, count }));
        return { name, topValues };
      });
      const suggestion = suggestMapping(kinds[file], header, profiles);
      const chosen = Object.fromEntries(suggestion.fields.filter((f) => f.column).map((f) => [f.field, f.column]));
      expect(chosen, file).toMatchObject(expected[file]);
      expect(suggestion.unmappedRequired, file).toEqual([]);
      const compiled = compileMapping(suggestion.spec, header);
      mapped[file] = rows.map((r, i) => {
        const { row, errors } = compiled.apply(r);
        if (errors.length) throw new Error(`${file} row ${i + 1}: ${JSON.stringify(errors)}`);
        return row;
      });
    }
    const students = mapped['students.csv'];
    expect(new Set(students.map((s) => s.race_ethnicity))).toEqual(new Set(Object.values(raceCodes)));
    expect(new Set(students.map((s) => s.residency))).toEqual(new Set(['in_state', 'out_of_state', 'international']));
    expect(students.every((s) => typeof s.birth_year === 'number' && s.birth_year > 1960 && s.birth_year < 2010)).toBe(true);
    expect(new Set(mapped['awards.csv'].map((a) => a.award_level))).toEqual(new Set(['bachelor']));

    const outcomes = deriveOutcomes(
      {
        students: students as unknown as OutcomeStudent[],
        enrollments: mapped['enrollments.csv'] as unknown as OutcomeEnrollment[],
        awards: mapped['awards.csv'] as unknown as OutcomeAward[],
        terms: mapped['terms.csv'] as unknown as OutcomeTerm[],
      },
      { normalTimeYears: { bachelor: 4 } },
    );
    const byId = new Map(demo.students.map((s) => [s.id, s]));
    let graduated = 0;
    for (const o of outcomes) {
      expect(o.retained_fall_to_fall, o.student_key).toBe(byId.get(o.student_key)!.retained);
      if (o.graduated_150) graduated++;
    }
    expect(graduated).toBeGreaterThan(0);
    // Participation: only eligible students take part, in the summer before their cohort fall.
    for (const p of mapped['participation.csv']) {
      if (p.participated) expect(p.eligible).toBe(true);
      expect(p.intervention).toBe('Summer Bridge');
      expect((p.dose as number) > 0).toBe(p.participated);
    }
  });

  it('has real confounding and a known effect near the configured one', () => {
    const t = demo.truth;
    const participants = demo.students.filter((s) => s.participated);
    expect(t.participants).toBe(participants.length);
    expect(participants.every((s) => s.inRetentionCohort)).toBe(true);
    expect(t.participants / t.cohortSize).toBeGreaterThan(0.15);
    expect(t.participants / t.cohortSize).toBeLessThan(0.4);
    expect(t.retainedRate).toBeGreaterThan(0.7);
    expect(t.retainedRate).toBeLessThan(0.82);
    expect(t.effectOnRetentionLogit).toBe(DEFAULT_EFFECT_ON_RETENTION_LOGIT);
    // Truth near +6 points; the realised potential-outcome difference close to it.
    expect(Math.abs(t.attRetention - 0.06)).toBeLessThan(0.01);
    expect(Math.abs(t.attRetentionRealized - t.attRetention)).toBeLessThan(0.03);
    // The naive comparison is biased downwards: participants are the students at higher risk.
    expect(t.attRetention - t.naiveDifference).toBeGreaterThan(0.05);
    // The truth recomputed from the per-student potential outcomes.
    const att = participants.reduce((sum, s) => sum + s.p1 - s.p0, 0) / participants.length;
    expect(att).toBeCloseTo(t.attRetention, 12);
    for (const s of demo.students) if (s.retained !== null) expect(s.retained).toBe(s.participated ? s.y1 : s.y0);
    // No effect configured → zero truth, same covariates and participation.
    const none = generateSisExport({ seed: 2024, students: 1000, programme: { effectOnRetentionLogit: 0 } });
    expect(none.truth.attRetention).toBe(0);
    expect(none.truth.attRetentionRealized).toBe(0);
  });

  it('streams the same rows as the in-memory mode, at any batch size', async () => {
    const options = { seed: 'stream-check', students: 237, programme: { name: 'Bridge, "Summer" 2.0', effectOnRetentionLogit: 0.5 } };
    const memory = generateSisExport(options);
    const joined = Object.fromEntries(sisFileNames.map((f) => [f, ''])) as Record<SisFileName, string>;
    const stream = streamSisExport(options, { batchStudents: 17 });
    let next = await stream.next();
    let chunks = 0;
    while (!next.done) {
      chunks++;
      for (const f of sisFileNames) joined[f] += next.value[f];
      next = await stream.next();
    }
    expect(chunks).toBe(14);
    expect(joined).toEqual(memory.files);
    expect(next.value).toEqual(memory.truth);
    const lines: string[] = [];
    for await (const line of sisFileLines(options, 'participation.csv', { batchStudents: 50 })) lines.push(line);
    expect(`${lines.join('\n')}\n`).toBe(memory.files['participation.csv']);
    expect(memory.files['participation.csv']).toContain('"Bridge, ""Summer"" 2.0"');
    // A sync consumer sees the same.
    const sync = sisExportChunks(options, { batchStudents: 1000 }).next();
    expect(sync.done).toBe(false);
    if (!sync.done) expect(sync.value['enrollments.csv']).toBe(memory.files['enrollments.csv']);
  });

  it('rejects bad options with a message saying what to fix', () => {
    const bad = (options: Parameters<typeof generateSisExport>[0]) => () => generateSisExport(options);
    expect(bad({ seed: 1, students: 0 })).toThrow(AppError);
    expect(bad({ seed: 1, students: 2.5 })).toThrow(/whole number/);
    expect(bad({ seed: 1, cohorts: [] })).toThrow(/at least one/);
    expect(bad({ seed: 1, cohorts: [2020, 2020] })).toThrow(/twice/);
    expect(bad({ seed: 1, cohorts: [2020, 2021], throughYear: 2021 })).toThrow(/after the last cohort/);
    expect(bad({ seed: 1, programme: { effectOnRetentionLogit: Number.NaN } })).toThrow(/finite/);
    expect(bad({ seed: 1, programme: { name: '  ' } })).toThrow(/name/);
  });
});
