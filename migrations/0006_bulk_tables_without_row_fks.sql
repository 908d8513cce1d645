ALTER TABLE "academic_periods" DROP CONSTRAINT "academic_periods_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "academic_periods" DROP CONSTRAINT "academic_periods_source_version_id_dataset_versions_id_fk";
--> statement-breakpoint
ALTER TABLE "academic_periods" DROP CONSTRAINT "academic_periods_mapping_id_mappings_id_fk";
--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_source_version_id_dataset_versions_id_fk";
--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_mapping_id_mappings_id_fk";
--> statement-breakpoint
ALTER TABLE "participations" DROP CONSTRAINT "participations_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "participations" DROP CONSTRAINT "participations_source_version_id_dataset_versions_id_fk";
--> statement-breakpoint
ALTER TABLE "participations" DROP CONSTRAINT "participations_mapping_id_mappings_id_fk";
--> statement-breakpoint
ALTER TABLE "student_outcomes" DROP CONSTRAINT "student_outcomes_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "students" DROP CONSTRAINT "students_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "students" DROP CONSTRAINT "students_source_version_id_dataset_versions_id_fk";
--> statement-breakpoint
ALTER TABLE "students" DROP CONSTRAINT "students_mapping_id_mappings_id_fk";
--> statement-breakpoint
ALTER TABLE "term_enrollments" DROP CONSTRAINT "term_enrollments_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "term_enrollments" DROP CONSTRAINT "term_enrollments_source_version_id_dataset_versions_id_fk";
--> statement-breakpoint
ALTER TABLE "term_enrollments" DROP CONSTRAINT "term_enrollments_mapping_id_mappings_id_fk";
