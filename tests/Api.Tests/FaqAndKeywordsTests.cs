using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// Product keywords (palabras_clave) and the empresa FAQ (preguntas_frecuentes) through the real
/// silo and Api processes: REST, CSV, search, the audit log, and the system prompt the fake
/// OpenAI server receives.
/// </summary>
public sealed class FaqAndKeywordsTests(FaqAndKeywordsTests.Stack shared) : IClassFixture<FaqAndKeywordsTests.Stack>
{
    /// <summary>One product stack for the whole class, with OpenAI pointed at a fake that always answers the same.</summary>
    public sealed class Stack : IAsyncLifetime
    {
        public PostgresDatabase Database { get; private set; } = null!;

        public ProductStack Product { get; private set; } = null!;

        public FakeOpenAI OpenAI { get; private set; } = null!;

        public ApiClient Anonymous { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            OpenAI = await FakeOpenAI.StartAsync(_ => new FakeReply.Text("Con gusto te ayudo."));
            Database = await PostgresDatabase.CreateAsync();
            Product = await ProductStack.StartAsync(Database, silos: 1, new Dictionary<string, string>
            {
                ["OpenAI__ApiKey"] = FakeOpenAI.DefaultApiKey,
                ["OpenAI__BaseUrl"] = OpenAI.BaseUrl.ToString(),
                ["Agent__DefaultDriver"] = "offline",
                ["Embeddings__Provider"] = "offline",
            });
            Anonymous = new ApiClient(Product.CreateClient());
        }

        public async Task DisposeAsync()
        {
            Anonymous.Dispose();
            await Product.DisposeAsync();
            await Database.DisposeAsync();
            await OpenAI.DisposeAsync();
        }
    }

    private readonly PostgresDatabase _database = shared.Database;
    private readonly ProductStack _stack = shared.Product;
    private readonly FakeOpenAI _openAI = shared.OpenAI;
    private readonly ApiClient _anonymous = shared.Anonymous;

    private static object Product(string nombre, string descripcion, string[]? palabras_clave, string? sku = null) =>
        new { sku, nombre, descripcion, precio = 159000, stock = 7, categoria = "Herramientas eléctricas", palabras_clave };

    private static List<string> Keywords(JsonNode product) =>
        product["palabras_clave"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();

    private static List<(string Pregunta, string Respuesta)> Faq(JsonNode empresa) =>
        empresa["preguntas_frecuentes"]!.AsArray()
            .Select(f => (f!["pregunta"]!.GetValue<string>(), f["respuesta"]!.GetValue<string>())).ToList();

    private async Task<string[]> StoredKeywordsAsync(string id)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT keywords FROM products WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(id));
        return (string[])(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Keywords_round_trip_through_post_put_and_get_trimmed_and_without_repeats()
    {
        var tenant = await _anonymous.RegisterAsync();
        var created = await tenant.Admin.PostAsync("/productos",
            Product("Amoladora angular 4 1/2", "Motor de 820 W", [" pulidora ", "Pulidora", "", "esmeril angular", "PULIDORA"]));
        Assert.True(created.Status == HttpStatusCode.Created, created.Body + _stack.Diagnostics());
        Assert.Equal(["pulidora", "esmeril angular"], Keywords(created.Json));
        var id = created.Json["id"]!.GetValue<string>();
        Assert.Equal(["pulidora", "esmeril angular"], Keywords((await tenant.Admin.GetAsync($"/productos/{id}")).Json));
        Assert.Equal(["pulidora", "esmeril angular"], await StoredKeywordsAsync(id));

        var updated = await tenant.Admin.PutAsync($"/productos/{id}", Product("Amoladora angular 4 1/2", "Motor de 820 W", ["galletera"]));
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(["galletera"], Keywords(updated.Json));
        var listed = (await tenant.Admin.GetAsync("/productos")).Json["items"]!.AsArray().Single()!;
        Assert.Equal(["galletera"], Keywords(listed));

        // PUT replaces every field but the sku: keywords left out are none.
        var replaced = await tenant.Admin.PutAsync($"/productos/{id}", Product("Amoladora angular 4 1/2", "Motor de 820 W", null));
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Empty(Keywords(replaced.Json));
        Assert.Empty(await StoredKeywordsAsync(id));

        // A retried POST with the same Idempotency-Key and the same keywords is the same request: answered again, nothing created.
        var body = System.Text.Json.JsonSerializer.Serialize(Product("Pulidora de piso", "Para baldosa", ["brilladora", "pulidora"]));
        async Task<(HttpStatusCode Status, string Body, bool Replayed)> PostOnceAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/productos") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "palabras-clave-1");
            using var response = await tenant.Admin.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
        }

        var once = await PostOnceAsync();
        var twice = await PostOnceAsync();
        Assert.Equal((HttpStatusCode.Created, false), (once.Status, once.Replayed));
        Assert.Equal((HttpStatusCode.Created, true, once.Body), (twice.Status, twice.Replayed, twice.Body));
        Assert.Equal(2, (await tenant.Admin.GetAsync("/productos")).Json["total"]!.GetValue<int>());

        var audit = await tenant.Admin.GetAsync("/auditoria?entidad=producto&accion=actualizar");
        var items = audit.Json["items"]!.AsArray();
        var first = items[^1]!["detalle"]!;
        Assert.Equal(["galletera"], Keywords(first["despues"]!));
    }

    [Fact]
    public async Task A_product_is_found_by_a_keyword_that_is_in_no_other_field()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/productos",
            Product("Taladro percutor 650W", "Para concreto y madera", null))).Status);
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/productos",
            Product("Sierra circular 7 1/4", "Disco para madera incluido", null))).Status);
        // Built before the keyword product exists, so the index is updated by the write, not built from scratch.
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.GetAsync("/productos/buscar?q=taladro")).Status);
        var grinder = await tenant.Admin.PostAsync("/productos",
            Product("Amoladora angular 4 1/2", "Motor de 820 W, disco de 115 mm", ["pulidora", "galletera"]));
        Assert.Equal(HttpStatusCode.Created, grinder.Status);

        var search = await tenant.Admin.GetAsync("/productos/buscar?q=galletera&k=3");
        Assert.True(search.Status == HttpStatusCode.OK, search.Body);
        Assert.Equal("Amoladora angular 4 1/2", search.Json[0]!["producto"]!["nombre"]!.GetValue<string>());
        Assert.Equal(["pulidora", "galletera"], Keywords(search.Json[0]!["producto"]!));

        var listed = await tenant.Admin.GetAsync("/productos?buscar=PULIDORA");
        Assert.Equal(1, listed.Json["total"]!.GetValue<int>());
        Assert.Equal(grinder.Json["id"]!.GetValue<string>(), listed.Json["items"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_keywords_answer_422_in_spanish_and_change_nothing()
    {
        var tenant = await _anonymous.RegisterAsync();
        var created = await tenant.Admin.PostAsync("/productos", Product("Amoladora angular 4 1/2", "Motor de 820 W", ["pulidora"]));
        var id = created.Json["id"]!.GetValue<string>();

        var tooMany = Enumerable.Range(1, 31).Select(i => $"palabra {i}").ToArray();
        var tooLong = new string('a', 61);
        foreach (var bad in new[] { tooMany, [tooLong], ["disco|lija"], ["disco;lija"] })
        {
            var post = await tenant.Admin.PostAsync("/productos", Product("Otra amoladora", "Motor", bad));
            post.AssertProblem(HttpStatusCode.UnprocessableEntity);
            Assert.NotEmpty(post.ErrorsFor("palabras_clave"));

            var put = await tenant.Admin.PutAsync($"/productos/{id}", Product("Amoladora cambiada", "Motor", bad));
            put.AssertProblem(HttpStatusCode.UnprocessableEntity);
            Assert.NotEmpty(put.ErrorsFor("palabras_clave"));
        }

        // 30 distinct words after trimming and dropping repeats are fine; so are exactly 60 characters.
        var accepted = await tenant.Admin.PutAsync($"/productos/{id}",
            Product("Amoladora angular 4 1/2", "Motor de 820 W", [.. tooMany[..29], "PALABRA 1", new string('b', 60)]));
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.Body);
        Assert.Equal(30, Keywords(accepted.Json).Count);

        var thousand = Enumerable.Repeat("x", 1000).ToArray();
        (await tenant.Admin.PostAsync("/productos", Product("Otra amoladora", "Motor", thousand))).AssertProblem(HttpStatusCode.UnprocessableEntity);

        var all = await tenant.Admin.GetAsync("/productos");
        Assert.Equal(1, all.Json["total"]!.GetValue<int>());
        Assert.Equal("Amoladora angular 4 1/2", all.Json["items"]![0]!["nombre"]!.GetValue<string>());
        Assert.Equal(30, (await StoredKeywordsAsync(id)).Length);
    }

    [Fact]
    public async Task Csv_import_reads_palabras_clave_the_export_writes_them_and_re_imports_unchanged()
    {
        var tenant = await _anonymous.RegisterAsync();
        var import = await tenant.Admin.ImportAsync(CsvFiles.Utf8(
            "sku,nombre,descripcion,precio,stock,Palabras clave",
            "AM-1,Amoladora angular,Motor de 820 W,159000,7,pulidora| galletera ;esmeril",
            "TA-1,Taladro percutor,Para concreto,189900,12,",
            "SI-1,Sierra circular,Disco de 7 1/4,259000,3,\"=disco\""));
        Assert.True(import.Status == HttpStatusCode.OK, import.Body);
        var listed = (await tenant.Admin.GetAsync("/productos")).Json["items"]!.AsArray().ToDictionary(p => p!["sku"]!.GetValue<string>(), p => Keywords(p!));
        Assert.Equal(["pulidora", "galletera", "esmeril"], listed["AM-1"]);
        Assert.Empty(listed["TA-1"]);
        Assert.Equal(["=disco"], listed["SI-1"]);

        var exported = await tenant.Admin.ExportAsync();
        var text = Encoding.UTF8.GetString(exported);
        Assert.Contains(",palabras_clave,imagen\r\n", text, StringComparison.Ordinal);
        Assert.Contains(",pulidora|galletera|esmeril,\r\n", text, StringComparison.Ordinal);
        Assert.Contains(",'=disco,\r\n", text, StringComparison.Ordinal);
        var again = await tenant.Admin.ImportAsync(exported, "reemplazar");
        Assert.True(again.Status == HttpStatusCode.OK, again.Body);
        Assert.Equal((0, 3), (again.Json["actualizados"]!.GetValue<int>(), again.Json["sin_cambios"]!.GetValue<int>()));

        // A file without the column keeps the keywords; a bad keyword refuses the whole file.
        var withoutColumn = await tenant.Admin.ImportAsync(CsvFiles.Utf8("sku,nombre,descripcion,precio,stock", "AM-1,Amoladora angular,Motor de 900 W,159000,7"));
        Assert.Equal(1, withoutColumn.Json["actualizados"]!.GetValue<int>());
        var bad = await tenant.Admin.ImportAsync(CsvFiles.Utf8(
            "sku,nombre,descripcion,precio,stock,palabras_clave",
            "AM-1,Amoladora angular,Motor de 1000 W,159000,7,",
            $"TA-1,Taladro percutor,Para concreto,189900,12,{new string('x', 61)}"));
        bad.AssertProblem(HttpStatusCode.UnprocessableEntity);
        var error = bad.Json["errores"]!.AsArray().Single()!;
        Assert.Equal((3, "palabras_clave"), (error["fila"]!.GetValue<int>(), error["columna"]!.GetValue<string>()));

        var after = (await tenant.Admin.GetAsync("/productos?buscar=AM-1")).Json["items"]![0]!;
        Assert.Equal("Motor de 900 W", after["descripcion"]!.GetValue<string>());
        Assert.Equal(["pulidora", "galletera", "esmeril"], Keywords(after));
    }

    [Fact]
    public async Task The_faq_is_set_read_kept_cleared_and_audited()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Empty(Faq((await tenant.Admin.GetAsync("/empresa")).Json));

        var put = await tenant.Admin.PutAsync("/empresa", new
        {
            preguntas_frecuentes = new[]
            {
                new { pregunta = "  ¿Hacen envíos? ", respuesta = "Sí, a todo el país por Servientrega; llegan en 2 a 4 días hábiles." },
                new { pregunta = "¿Cuál es el horario?", respuesta = "Lunes a sábado de 8 a. m. a 6 p. m." },
            },
        });
        Assert.True(put.Status == HttpStatusCode.OK, put.Body);
        var expected = new List<(string, string)>
        {
            ("¿Hacen envíos?", "Sí, a todo el país por Servientrega; llegan en 2 a 4 días hábiles."),
            ("¿Cuál es el horario?", "Lunes a sábado de 8 a. m. a 6 p. m."),
        };
        Assert.Equal(expected, Faq(put.Json));
        Assert.Equal(expected, Faq((await tenant.Admin.GetAsync("/empresa")).Json));

        // Another field alone keeps the FAQ; the audit shows the FAQ only where it changed.
        var renamed = await tenant.Admin.PutAsync("/empresa", new { nombre_agente = "Tuerquita" });
        Assert.Equal(expected, Faq(renamed.Json));
        var audit = (await tenant.Admin.GetAsync("/auditoria?entidad=empresa&accion=actualizar")).Json["items"]!.AsArray();
        Assert.Equal(2, audit.Count);
        Assert.Null(audit[0]!["detalle"]!["despues"]!["preguntas_frecuentes"]);
        Assert.Empty(audit[1]!["detalle"]!["antes"]!["preguntas_frecuentes"]!.AsArray());
        Assert.Equal("¿Cuál es el horario?", audit[1]!["detalle"]!["despues"]!["preguntas_frecuentes"]![1]!["pregunta"]!.GetValue<string>());

        var cleared = await tenant.Admin.PutAsync("/empresa", new { preguntas_frecuentes = Array.Empty<object>() });
        Assert.Empty(Faq(cleared.Json));
        Assert.Empty(Faq((await tenant.Admin.GetAsync("/empresa")).Json));
    }

    [Fact]
    public async Task An_invalid_faq_answers_422_naming_the_field_and_changes_nothing()
    {
        var tenant = await _anonymous.RegisterAsync();
        var faq = new[] { new { pregunta = "¿Hacen envíos?", respuesta = "Sí, a todo el país." } };
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync("/empresa", new { preguntas_frecuentes = faq })).Status);

        var cases = new (object Body, string Field)[]
        {
            (new { nombre = "Otro nombre", preguntas_frecuentes = Enumerable.Range(1, 51).Select(i => new { pregunta = $"¿{i}?", respuesta = "Sí." }) }, "preguntas_frecuentes"),
            (new { nombre = "Otro nombre", preguntas_frecuentes = new[] { new { pregunta = "¿Bien?", respuesta = "Sí." }, new { pregunta = "  ", respuesta = "Sí." } } }, "preguntas_frecuentes[1].pregunta"),
            (new { nombre = "Otro nombre", preguntas_frecuentes = new[] { new { pregunta = new string('p', 301), respuesta = "Sí." } } }, "preguntas_frecuentes[0].pregunta"),
            (new { nombre = "Otro nombre", preguntas_frecuentes = new[] { new { pregunta = "¿Largo?", respuesta = new string('r', 2001) } } }, "preguntas_frecuentes[0].respuesta"),
            (new { nombre = "Otro nombre", preguntas_frecuentes = new[] { new { pregunta = "¿Sin respuesta?", respuesta = (string?)null } } }, "preguntas_frecuentes[0].respuesta"),
            (new { nombre = "Otro nombre", preguntas_frecuentes = new object?[] { null } }, "preguntas_frecuentes[0]"),
        };
        foreach (var (body, field) in cases)
        {
            var answer = await tenant.Admin.PutAsync("/empresa", body);
            answer.AssertProblem(HttpStatusCode.UnprocessableEntity);
            Assert.True(answer.ErrorsFor(field).Count > 0, $"{field}: {answer.Body}");
        }

        // Exactly at the limits is accepted.
        var full = Enumerable.Range(1, 50).Select(i => new { pregunta = new string('p', 300), respuesta = new string('r', 2000) }).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync("/empresa", new { preguntas_frecuentes = full })).Status);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync("/empresa", new { preguntas_frecuentes = faq })).Status);

        var empresa = (await tenant.Admin.GetAsync("/empresa")).Json;
        Assert.Equal([("¿Hacen envíos?", "Sí, a todo el país.")], Faq(empresa));
        Assert.NotEqual("Otro nombre", empresa["nombre"]!.GetValue<string>());
        Assert.Equal(3, (await tenant.Admin.GetAsync("/auditoria?entidad=empresa&accion=actualizar")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_openai_system_prompt_carries_the_faq_of_the_empresa_and_of_no_other()
    {
        var ours = await _anonymous.RegisterAsync("Ferretería La Tuerca");
        var theirs = await _anonymous.RegisterAsync("Ferretería El Tornillo");
        const string answer = "Enviamos a todo el país con Servientrega; el envío es gratis desde $200.000.";
        Assert.Equal(HttpStatusCode.OK, (await ours.Admin.PutAsync("/empresa", new
        {
            preguntas_frecuentes = new[] { new { pregunta = "¿Hacen envíos a otras ciudades?", respuesta = answer } },
        })).Status);
        Assert.Empty(Faq((await theirs.Admin.GetAsync("/empresa")).Json));

        var chat = await ours.Admin.PostAsync("/chat", new { mensaje = "¿hacen envíos a Medellín? (nuestra)", llm = "openai" });
        Assert.True(chat.Status == HttpStatusCode.OK, chat.Body);
        Assert.Equal("Con gusto te ayudo.", chat.Json["respuesta"]!.GetValue<string>());
        var other = await theirs.Admin.PostAsync("/chat", new { mensaje = "¿hacen envíos a Medellín? (otra)", llm = "openai" });
        Assert.Equal(HttpStatusCode.OK, other.Status);

        string SystemFor(string marker) => _openAI.ChatRequests
            .Single(r => r.Messages().Any(m => m is not null && m.Role() == "user" && m.Content().Contains(marker, StringComparison.Ordinal)))
            .Messages()[0]!.Content();
        var system = SystemFor("(nuestra)");
        Assert.Contains("¿Hacen envíos a otras ciudades?", system, StringComparison.Ordinal);
        Assert.Contains(answer, system, StringComparison.Ordinal);
        Assert.Contains("solo con lo que dicen estas respuestas", system, StringComparison.Ordinal);
        var theirSystem = SystemFor("(otra)");
        Assert.Contains("El Tornillo", theirSystem, StringComparison.Ordinal);
        Assert.DoesNotContain("Servientrega", theirSystem, StringComparison.Ordinal);
    }
}
