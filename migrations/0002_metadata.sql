CREATE TYPE "public"."dataset_kind" AS ENUM('students', 'term_enrollments', 'participation', 'awards', 'terms');--> statement-breakpoint
CREATE TYPE "public"."dataset_version_status" AS ENUM('uploaded', 'profiling', 'profiled', 'validating', 'validated', 'invalid', 'loading', 'loaded', 'superseded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."term_season" AS ENUM('fall', 'winter', 'spring', 'summer');--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" "dataset_version_status" DEFAULT 'uploaded' NOT NULL,
	"storage_key" text NOT NULL,
	"original_filename" text NOT NULL,
	"bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"encoding" text,
	"delimiter" text,
	"header" jsonb,
	"row_count" bigint,
	"profile" jsonb,
	"mapping_id" uuid,
	"validation_report" jsonb,
	"error" text,
	"loaded_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" "dataset_kind" NOT NULL,
	"name" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "institution_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"census_day_offset" integer DEFAULT 14 NOT NULL,
	"normal_time_years" jsonb DEFAULT '{"certificate": 1, "associate": 2, "bachelor": 4}'::jsonb NOT NULL,
	"min_cell_size" integer DEFAULT 10 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" "dataset_kind" NOT NULL,
	"signature" text NOT NULL,
	"version" integer NOT NULL,
	"spec" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "academic_periods" (
	"tenant_id" uuid NOT NULL,
	"term_code" text NOT NULL,
	"academic_year" integer NOT NULL,
	"season" "term_season" NOT NULL,
	"start_date" date,
	"end_date" date,
	"census_date" date,
	"source_version_id" uuid NOT NULL,
	"source_row" bigint NOT NULL,
	"mapping_id" uuid
);
--> statement-breakpoint
CREATE TABLE "awards" (
	"tenant_id" uuid NOT NULL,
	"student_key" text NOT NULL,
	"award_level" text NOT NULL,
	"cip" text,
	"award_date" date NOT NULL,
	"source_version_id" uuid NOT NULL,
	"source_row" bigint NOT NULL,
	"mapping_id" uuid
);
--> statement-breakpoint
CREATE TABLE "interventions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text,
	"start_term" text,
	"end_term" text,
	"cost_per_student" numeric(12, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participations" (
	"tenant_id" uuid NOT NULL,
	"student_key" text NOT NULL,
	"intervention" text NOT NULL,
	"term_code" text NOT NULL,
	"participated" boolean NOT NULL,
	"eligible" boolean,
	"dose" real,
	"source_version_id" uuid NOT NULL,
	"source_row" bigint NOT NULL,
	"mapping_id" uuid
);
--> statement-breakpoint
CREATE TABLE "student_outcomes" (
	"tenant_id" uuid NOT NULL,
	"student_key" text NOT NULL,
	"cohort_term" text NOT NULL,
	"retained_fall_to_fall" boolean,
	"persisted_next_term" boolean,
	"graduated_100" boolean,
	"graduated_150" boolean,
	"graduated_200" boolean,
	"first_year_gpa" real,
	"credits_earned_first_year" real,
	"derived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "students" (
	"tenant_id" uuid NOT NULL,
	"student_key" text NOT NULL,
	"birth_year" integer,
	"sex" text,
	"race_ethnicity" text,
	"first_generation" boolean,
	"residency" text,
	"hs_gpa" real,
	"test_score" real,
	"pell_eligible_at_entry" boolean,
	"cohort_term" text,
	"first_time" boolean,
	"degree_seeking" boolean,
	"full_time_at_entry" boolean,
	"transfer_in" boolean,
	"exclusion_reason" text,
	"source_version_id" uuid NOT NULL,
	"source_row" bigint NOT NULL,
	"mapping_id" uuid
);
--> statement-breakpoint
CREATE TABLE "term_enrollments" (
	"tenant_id" uuid NOT NULL,
	"student_key" text NOT NULL,
	"term_code" text NOT NULL,
	"level" text,
	"full_time" boolean,
	"enrolled_at_census" boolean,
	"credits_attempted" real,
	"credits_earned" real,
	"term_gpa" real,
	"cumulative_gpa" real,
	"academic_standing" text,
	"programme" text,
	"source_version_id" uuid NOT NULL,
	"source_row" bigint NOT NULL,
	"mapping_id" uuid
);
--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_mapping_id_mappings_id_fk" FOREIGN KEY ("mapping_id") REFERENCES "public"."mappings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_settings" ADD CONSTRAINT "institution_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mappings" ADD CONSTRAINT "mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mappings" ADD CONSTRAINT "mappings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "academic_periods" ADD CONSTRAINT "academic_periods_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "academic_periods" ADD CONSTRAINT "academic_periods_source_version_id_dataset_versions_id_fk" FOREIGN KEY ("source_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "academic_periods" ADD CONSTRAINT "academic_periods_mapping_id_mappings_id_fk" FOREIGN KEY ("mapping_id") REFERENCES "public"."mappings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_source_version_id_dataset_versions_id_fk" FOREIGN KEY ("source_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_mapping_id_mappings_id_fk" FOREIGN KEY ("mapping_id") REFERENCES "public"."mappings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interventions" ADD CONSTRAINT "interventions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_source_version_id_dataset_versions_id_fk" FOREIGN KEY ("source_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_mapping_id_mappings_id_fk" FOREIGN KEY ("mapping_id") REFERENCES "public"."mappings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_outcomes" ADD CONSTRAINT "student_outcomes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_source_version_id_dataset_versions_id_fk" FOREIGN KEY ("source_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_mapping_id_mappings_id_fk" FOREIGN KEY ("mapping_id") REFERENCES "public"."mappings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_enrollments" ADD CONSTRAINT "term_enrollments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_enrollments" ADD CONSTRAINT "term_enrollments_source_version_id_dataset_versions_id_fk" FOREIGN KEY ("source_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_enrollments" ADD CONSTRAINT "term_enrollments_mapping_id_mappings_id_fk" FOREIGN KEY ("mapping_id") REFERENCES "public"."mappings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_dataset_version_idx" ON "dataset_versions" USING btree ("tenant_id","dataset_id","version");--> statement-breakpoint
CREATE INDEX "dataset_versions_tenant_status_idx" ON "dataset_versions" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_tenant_kind_name_idx" ON "datasets" USING btree ("tenant_id","kind","name");--> statement-breakpoint
CREATE UNIQUE INDEX "mappings_tenant_kind_signature_version_idx" ON "mappings" USING btree ("tenant_id","kind","signature","version");--> statement-breakpoint
CREATE UNIQUE INDEX "academic_periods_tenant_term_idx" ON "academic_periods" USING btree ("tenant_id","term_code");--> statement-breakpoint
CREATE INDEX "awards_tenant_student_idx" ON "awards" USING btree ("tenant_id","student_key");--> statement-breakpoint
CREATE UNIQUE INDEX "interventions_tenant_name_idx" ON "interventions" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "participations_tenant_student_intervention_term_idx" ON "participations" USING btree ("tenant_id","student_key","intervention","term_code");--> statement-breakpoint
CREATE UNIQUE INDEX "student_outcomes_tenant_student_cohort_idx" ON "student_outcomes" USING btree ("tenant_id","student_key","cohort_term");--> statement-breakpoint
CREATE UNIQUE INDEX "students_tenant_key_idx" ON "students" USING btree ("tenant_id","student_key");--> statement-breakpoint
CREATE UNIQUE INDEX "term_enrollments_tenant_student_term_idx" ON "term_enrollments" USING btree ("tenant_id","student_key","term_code");