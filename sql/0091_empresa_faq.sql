-- 0091: preguntas_frecuentes, the empresa's own answers to its customers' common questions.
-- A JSON array of {"pregunta", "respuesta"} kept with the empresa's other settings and read with
-- them; the Api checks each entry (pregunta 1–300, respuesta 1–2000 characters), the database
-- keeps the shape and the count (at most 50).
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS faq jsonb NOT NULL DEFAULT '[]';
ALTER TABLE tenants ADD CONSTRAINT tenants_faq_bounded
    CHECK (jsonb_typeof(faq) = 'array' AND jsonb_array_length(faq) <= 50);
