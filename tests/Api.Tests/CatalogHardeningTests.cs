using System.Net;
using System.Text;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// Catalog edge cases through the real silo and Api processes, with embeddings from the fake
/// OpenAI server so that a test can make them fail: search outages, formula-like text in CSV
/// exports, and SKUs that only Unicode tells apart.
/// </summary>
public sealed class CatalogHardeningTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeOpenAI _openAI = null!;
    private ApiClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _openAI = await FakeOpenAI.StartAsync();
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>
        {
            ["OpenAI__ApiKey"] = "sk-prueba",
            ["OpenAI__BaseUrl"] = _openAI.BaseUrl.ToString(),
            ["Agent__DefaultDriver"] = "offline",
        });
        _anonymous = new ApiClient(_stack.CreateClient());
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _openAI.DisposeAsync();
    }

    private static object Product(string nombre, string? sku = null) =>
        new { sku, nombre, descripcion = $"{nombre} para la casa", precio = 25000, stock = 10, categoria = "Herramientas" };

    private static async Task<int> CountAsync(ApiClient admin) => (await admin.GetAsync("/productos?tamano=500")).Json["total"]!.GetValue<int>();

    [Fact]
    public async Task A_failed_index_build_answers_503_writes_still_succeed_once_and_search_works_after_recovery()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/productos", Product("Taladro percutor 650W"))).Status);
        try
        {
            _openAI.FailEmbeddings = true;
            (await tenant.Admin.GetAsync("/productos/buscar?q=taladro")).AssertProblem(HttpStatusCode.ServiceUnavailable);
            Assert.True(_openAI.FailedEmbeddingRequests > 0);

            // The failed build is not kept: a write after it is answered for what it did, once.
            var created = await tenant.Admin.PostAsync("/productos", Product("Martillo de carpintero"));
            Assert.Equal(HttpStatusCode.Created, created.Status);
            Assert.Equal(2, await CountAsync(tenant.Admin));
            (await tenant.Admin.GetAsync("/productos/buscar?q=martillo")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            _openAI.FailEmbeddings = false;
        }

        var found = await tenant.Admin.GetAsync("/productos/buscar?q=martillo%20de%20carpintero&k=2");
        Assert.Equal(HttpStatusCode.OK, found.Status);
        Assert.Equal("Martillo de carpintero", found.Json[0]!["producto"]!["nombre"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_index_cannot_follow_a_write_the_write_succeeds_and_the_next_search_rebuilds_it()
    {
        var tenant = await _anonymous.RegisterAsync();
        var drill = await tenant.Admin.PostAsync("/productos", Product("Taladro percutor 650W", "TAL-1"));
        Assert.Equal(HttpStatusCode.Created, drill.Status);
        var id = drill.Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.GetAsync("/productos/buscar?q=taladro")).Status); // builds the index

        try
        {
            _openAI.FailEmbeddings = true;
            var renamed = await tenant.Admin.PutAsync($"/productos/{id}", Product("Sierra circular 7 1/4", "TAL-1"));
            Assert.Equal(HttpStatusCode.OK, renamed.Status);
            Assert.Equal("Sierra circular 7 1/4", (await tenant.Admin.GetAsync($"/productos/{id}")).Json["nombre"]!.GetValue<string>());
            var added = await tenant.Admin.PostAsync("/productos", Product("Lija de agua 120"));
            Assert.Equal(HttpStatusCode.Created, added.Status);
            Assert.Equal(2, await CountAsync(tenant.Admin));
            (await tenant.Admin.GetAsync("/productos/buscar?q=sierra")).AssertProblem(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            _openAI.FailEmbeddings = false;
        }

        var found = await tenant.Admin.GetAsync("/productos/buscar?q=sierra%20circular&k=2");
        Assert.Equal(HttpStatusCode.OK, found.Status);
        Assert.Equal(id, found.Json[0]!["producto"]!["id"]!.GetValue<string>());
        Assert.Equal("Sierra circular 7 1/4", found.Json[0]!["producto"]!["nombre"]!.GetValue<string>());
    }

    [Fact]
    public async Task Formula_like_text_is_exported_behind_a_quote_and_the_export_reimports_as_a_no_op()
    {
        var tenant = await _anonymous.RegisterAsync();
        var hyperlink = "=HYPERLINK(\"http://malo.example/robar\",\"Clic aquí\")";
        var file = CsvFiles.Utf8(
            CsvFiles.Header,
            $"F-1,\"{hyperlink.Replace("\"", "\"\"", StringComparison.Ordinal)}\",Enlace,1000,1,General",
            "F-2,+57 300 1234567,@SUM(A1:A9),1000,1,General",
            "F-3,-gancho doble,Normal,1000,1,=cmd|' /C calc'!A0",
            "F-4,-5,Un nombre que es un número,1000,1,General",
            "F-5,'=ya venía citado,Texto,1000,1,General",
            "@F-6,Sku con arroba,Texto,1000,1,General");
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(file)).Status);
        var stored = (await tenant.Admin.GetAsync("/productos?tamano=50")).Json["items"]!.AsArray()
            .ToDictionary(p => p!["sku"]!.GetValue<string>(), p => p!["nombre"]!.GetValue<string>());
        Assert.Equal(hyperlink, stored["F-1"]);
        Assert.Equal("=ya venía citado", stored["F-5"]);

        var export = await tenant.Admin.ExportAsync();
        var rows = ReadCsv(Encoding.UTF8.GetString(export).TrimStart('\uFEFF')).Skip(1).ToDictionary(r => r[1]);
        Assert.Equal("'" + hyperlink, rows["'" + hyperlink][1]);
        Assert.Equal("'@SUM(A1:A9)", rows["'+57 300 1234567"][2]);
        Assert.Equal("'=cmd|' /C calc'!A0", rows["'-gancho doble"][5]);
        Assert.Equal("-5", rows["-5"][1]);
        Assert.Equal("'=ya venía citado", rows["'=ya venía citado"][1]);
        Assert.Equal("'@F-6", rows["Sku con arroba"][0]);
        Assert.All(rows.Values.SelectMany(r => r), cell => Assert.DoesNotMatch("^[=+@\t\r]", cell));

        var again = await tenant.Admin.ImportAsync(export, "reemplazar");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal((0, 0, 0, 6), (again.Json["creados"]!.GetValue<int>(), again.Json["actualizados"]!.GetValue<int>(),
            again.Json["desactivados"]!.GetValue<int>(), again.Json["sin_cambios"]!.GetValue<int>()));

        // The sales report carries the product's name as it was sold: protected the same way.
        var product = (await tenant.Admin.GetAsync("/productos?buscar=F-1")).Json["items"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/ventas", new { items = new[] { new { producto_id = product, cantidad = 1 } } })).Status);
        using var report = await tenant.Admin.Http.GetAsync("/reportes/ventas.csv");
        var sold = ReadCsv((await report.Content.ReadAsStringAsync()).TrimStart('\uFEFF')).Skip(1).Single();
        Assert.Equal(("F-1", "'" + hyperlink), (sold[6], sold[7]));
    }

    [Fact]
    public async Task Skus_that_differ_only_by_a_kelvin_sign_are_one_sku_in_the_import_and_in_the_crud()
    {
        var tenant = await _anonymous.RegisterAsync();
        var both = await tenant.Admin.ImportAsync(CsvFiles.Utf8(CsvFiles.Header,
            "K-77,Llave inglesa 10,Acero,1000,1,General",
            "\u212A-77,Llave inglesa 12,Acero,1000,1,General"));
        both.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(new (int, string?)[] { (3, "sku") }, both.Errors());
        Assert.Equal(0, await CountAsync(tenant.Admin));

        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/productos", Product("Llave inglesa 10", "K-77"))).Status);
        var kelvin = await tenant.Admin.ImportAsync(CsvFiles.Utf8(CsvFiles.Header, "\u212A-77,Llave inglesa 10 pulgadas,Acero,1000,1,General"));
        Assert.Equal(HttpStatusCode.OK, kelvin.Status);
        Assert.Equal((0, 1), (kelvin.Json["creados"]!.GetValue<int>(), kelvin.Json["actualizados"]!.GetValue<int>()));

        (await tenant.Admin.PostAsync("/productos", Product("Otra llave", "\u212A-77"))).AssertProblem(HttpStatusCode.Conflict);
        (await tenant.Admin.PostAsync("/productos", Product("Otra llave", "\uFF4B-77"))).AssertProblem(HttpStatusCode.Conflict); // full-width k
        var other = await tenant.Admin.PostAsync("/productos", Product("Destornillador", "\u212A-78"));
        Assert.Equal(HttpStatusCode.Created, other.Status);
        Assert.Equal("K-78", other.Json["sku"]!.GetValue<string>());
        Assert.Equal(2, await CountAsync(tenant.Admin));
    }

    [Fact]
    public async Task A_sku_written_behind_the_grains_back_is_a_clear_refusal_not_a_500_and_a_retry_works()
    {
        var tenant = await _anonymous.RegisterAsync();
        var hammer = await tenant.Admin.PostAsync("/productos", Product("Martillo", "MAR-1")); // activates the empresa's catalog in memory
        Assert.Equal(HttpStatusCode.Created, hammer.Status);
        await InsertBehindTheGrainAsync(tenant.EmpresaId, "DIRECTO-1");

        var import = await tenant.Admin.ImportAsync(CsvFiles.Utf8(CsvFiles.Header, "directo-1,Taladro,Importado,1000,1,General"));
        import.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(new (int, string?)[] { (1, "sku") }, import.Errors());
        var retried = await tenant.Admin.ImportAsync(CsvFiles.Utf8(CsvFiles.Header, "directo-1,Taladro,Importado,1000,1,General"));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal((0, 1), (retried.Json["creados"]!.GetValue<int>(), retried.Json["actualizados"]!.GetValue<int>()));

        await InsertBehindTheGrainAsync(tenant.EmpresaId, "DIRECTO-2");
        (await tenant.Admin.PostAsync("/productos", Product("Otro", "Directo-2"))).AssertProblem(HttpStatusCode.Conflict);
        await InsertBehindTheGrainAsync(tenant.EmpresaId, "DIRECTO-3");
        (await tenant.Admin.PutAsync($"/productos/{hammer.Json["id"]!.GetValue<string>()}", Product("Martillo", "directo-3"))).AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(4, await CountAsync(tenant.Admin));
    }

    private async Task InsertBehindTheGrainAsync(Guid empresaId, string sku)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO products (id, tenant_id, sku, name, description, price, stock, category) VALUES (@id, @tenant, @sku, 'Directo', '', 1000, 1, 'General')",
            connection);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("tenant", empresaId);
        insert.Parameters.AddWithValue("sku", sku);
        await insert.ExecuteNonQueryAsync();
    }

    // RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, quotes ("") and line breaks.
    private static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { field.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { }
            else if (c == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); }
            else { field.Append(c); }
        }

        return rows;
    }
}
