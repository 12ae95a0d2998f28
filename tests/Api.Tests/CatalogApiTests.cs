using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class CatalogApiTests(ApiFixture fixture)
{
    private readonly ApiClient _anonymous = fixture.Anonymous();

    private async Task<Tenant> WithFerreteriaAsync()
    {
        var tenant = await _anonymous.RegisterAsync();
        var import = await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar");
        Assert.Equal(HttpStatusCode.OK, import.Status);
        return tenant;
    }

    private static async Task<JsonNode> ProductBySkuAsync(ApiClient client, string sku) =>
        (await client.GetAsync($"/productos?buscar={sku}")).Json["items"]!.AsArray().Single(p => p!["sku"]!.GetValue<string>() == sku)!;

    [Fact]
    public async Task The_sample_catalog_imports_exports_and_reimports_as_a_no_op()
    {
        var tenant = await _anonymous.RegisterAsync();

        var first = await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((40, 40, 0, 0, 0), (first.Json["filas"]!.GetValue<int>(), first.Json["creados"]!.GetValue<int>(),
            first.Json["actualizados"]!.GetValue<int>(), first.Json["desactivados"]!.GetValue<int>(), first.Json["sin_cambios"]!.GetValue<int>()));
        var drill = await ProductBySkuAsync(tenant.Admin, "FER-001");
        Assert.Equal(("Taladro percutor 650W", 189900m, 12, "Herramientas eléctricas"),
            (drill["nombre"]!.GetValue<string>(), drill["precio"]!.GetValue<decimal>(), drill["stock"]!.GetValue<int>(), drill["categoria"]!.GetValue<string>()));

        var exported = await tenant.Admin.ExportAsync();
        var again = await tenant.Admin.ImportMultipartAsync(exported, "reemplazar");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal((40, 0, 0, 0, 40), (again.Json["filas"]!.GetValue<int>(), again.Json["creados"]!.GetValue<int>(),
            again.Json["actualizados"]!.GetValue<int>(), again.Json["desactivados"]!.GetValue<int>(), again.Json["sin_cambios"]!.GetValue<int>()));
        Assert.Equal(exported, await tenant.Admin.ExportAsync());

        var audit = await tenant.Admin.GetAsync("/auditoria?entidad=catalogo&accion=importar");
        Assert.Equal(2, audit.Json["total"]!.GetValue<int>());
        Assert.Equal(40, audit.Json["items"]![1]!["detalle"]!["creados"]!.GetValue<int>());
    }

    public static TheoryData<string, byte[], (int, string?)[]> BadFiles() => new()
    {
        { "stock negativo", CsvFiles.Utf8(CsvFiles.Header, "N-1,Nuevo,desc,1000,5,X", "N-2,Otro,desc,2000,-5,X"), [(3, "stock")] },
        { "precio en texto", CsvFiles.Utf8(CsvFiles.Header, "N-1,Nuevo,desc,caro,5,X"), [(2, "precio")] },
        { "sku repetido", CsvFiles.Utf8(CsvFiles.Header, "N-1,Nuevo,desc,1000,5,X", "N-2,Otro,desc,1000,5,X", "n-1,Tercero,desc,1000,5,X"), [(4, "sku")] },
        { "falta columna", CsvFiles.Utf8("sku,nombre,descripcion,stock", "N-1,Nuevo,desc,5"), [(1, "precio")] },
        { "nombre vacío", CsvFiles.Utf8(CsvFiles.Header, "N-1,Nuevo,desc,1000,5,X", "N-2,,desc,1000,5,X"), [(3, "nombre")] },
        { "codificación UTF-16", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(CsvFiles.Header + "\r\nN-1,Nuevo,desc,1000,5,X\r\n")).ToArray(), [(1, null)] },
        { "filas desparejas", CsvFiles.Utf8(CsvFiles.Header, "N-1,Nuevo,desc,1000,5,X", "N-2,Otro,desc,1000,5,X,sobra", "N-3,Corta,desc"), [(3, null), (4, null)] },
        { "varios errores a la vez", CsvFiles.Utf8(CsvFiles.Header, "N-1,,desc,0,5,X", "N-2,Bien,desc,1000,5,X", "N-3,Mal,desc,1000,2.5,X"), [(2, "nombre"), (2, "precio"), (4, "stock")] },
        { "solo encabezado", CsvFiles.Utf8(CsvFiles.Header), [(2, null)] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_answered_with_its_bad_rows_and_changes_nothing(string name, byte[] file, (int, string?)[] expected)
    {
        var tenant = await WithFerreteriaAsync();
        var before = await tenant.Admin.ExportAsync();

        var answer = await tenant.Admin.ImportAsync(file, "reemplazar");

        answer.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.True(expected.SequenceEqual(answer.Errors()), $"{name}: {answer.Body}");
        Assert.All(answer.Json["errores"]!.AsArray(), e => Assert.False(string.IsNullOrWhiteSpace(e!["mensaje"]!.GetValue<string>())));
        Assert.Equal(before, await tenant.Admin.ExportAsync());
    }

    [Fact]
    public async Task A_30_MB_file_is_refused_with_413_and_changes_nothing()
    {
        var tenant = await WithFerreteriaAsync();
        var before = await tenant.Admin.ExportAsync();
        var row = Encoding.UTF8.GetBytes("X-1,Relleno,\"" + new string('x', 1000) + "\",1000,1,X\r\n");
        var file = new byte[30 * 1024 * 1024];
        for (var offset = 0; offset + row.Length <= file.Length; offset += row.Length)
        {
            row.CopyTo(file, offset);
        }

        var answer = await tenant.Admin.ImportAsync(file, "reemplazar");

        answer.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await tenant.Admin.ExportAsync());
    }

    [Fact]
    public async Task A_broken_multipart_body_is_a_400_and_changes_nothing()
    {
        var tenant = await WithFerreteriaAsync();
        var before = await tenant.Admin.ExportAsync();

        var answer = await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes("--limite\r\nesto no es una cabecera"), "reemplazar",
            "multipart/form-data; boundary=limite");

        answer.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("multipart", answer.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await tenant.Admin.ExportAsync());
    }

    [Fact]
    public async Task A_spanish_excel_file_in_windows_1252_with_semicolons_and_local_numbers_imports_right()
    {
        var tenant = await _anonymous.RegisterAsync();
        var text = "Nombre;Descripción;Precio;Stock;Categoría;Activo\r\n"
            + "Martillo de uña;\"Cabeza forjada; mango de fibra\";32.900;1.000;Herramientas;sí\r\n"
            + "Taladro percutor;Para concreto;189.900,50;12;Eléctricas;no\r\n";
        var file = Encoding.GetEncoding(1252).GetBytes(text);

        var answer = await tenant.Admin.ImportAsync(file);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var hammer = (await tenant.Admin.GetAsync("/productos?buscar=una")).Json["items"]![0]!;
        Assert.Equal(("Martillo de uña", "Cabeza forjada; mango de fibra", 32900m, 1000, "Herramientas", true),
            (hammer["nombre"]!.GetValue<string>(), hammer["descripcion"]!.GetValue<string>(), hammer["precio"]!.GetValue<decimal>(),
             hammer["stock"]!.GetValue<int>(), hammer["categoria"]!.GetValue<string>(), hammer["activo"]!.GetValue<bool>()));
        var drill = (await tenant.Admin.GetAsync("/productos?buscar=taladro")).Json["items"]![0]!;
        Assert.Equal((189900.50m, false, "TALADRO-PERCUTOR"),
            (drill["precio"]!.GetValue<decimal>(), drill["activo"]!.GetValue<bool>(), drill["sku"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Replace_mode_over_http_leaves_absent_products_inactive_without_stock()
    {
        var tenant = await WithFerreteriaAsync();

        var answer = await tenant.Admin.ImportAsync(CsvFiles.Utf8(CsvFiles.Header, "FER-001,Taladro percutor 650W,Nuevo texto,199900,10,Herramientas eléctricas"), "reemplazar");

        Assert.Equal((1, 39), (answer.Json["actualizados"]!.GetValue<int>(), answer.Json["desactivados"]!.GetValue<int>()));
        var hammer = await ProductBySkuAsync(tenant.Admin, "FER-005");
        Assert.Equal((false, 0), (hammer["activo"]!.GetValue<bool>(), hammer["stock"]!.GetValue<int>()));
        Assert.Equal(1, (await tenant.Admin.GetAsync("/productos?activo=true")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Products_crud_validates_and_roles_apply()
    {
        var tenant = await _anonymous.RegisterAsync();
        var (seller, _, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        var (observer, _, _) = await _anonymous.AddUserAsync(tenant, "observador");

        var created = await seller.PostAsync("/productos", new { nombre = "Flexómetro 5 metros", descripcion = "Cinta métrica", precio = 14900, stock = 60, categoria = "Medición" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json["id"]!.GetValue<string>();
        Assert.Equal("FLEXOMETRO-5-METROS", created.Json["sku"]!.GetValue<string>());
        Assert.Equal($"/productos/{id}", created.Headers.Location!.ToString());

        var invalid = await seller.PostAsync("/productos", new { nombre = "", precio = 0, stock = -1 });
        invalid.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(invalid.ErrorsFor("nombre"));
        Assert.NotEmpty(invalid.ErrorsFor("precio"));
        Assert.NotEmpty(invalid.ErrorsFor("stock"));
        (await seller.PostAsync("/productos", new { nombre = "Sin precio", stock = 1 })).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await seller.PostAsync("/productos", new { nombre = "X", precio = 1.999, stock = 1 })).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await seller.PostAsync("/productos", new { sku = "flexometro-5-metros", nombre = "Otro", precio = 1, stock = 1 })).AssertProblem(HttpStatusCode.Conflict);

        var updated = await seller.PutAsync($"/productos/{id}", new { nombre = "Flexómetro 5 m", descripcion = "Cinta", precio = 15900.5, stock = 55, categoria = "Medición" });
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal((15900.5m, 55, "FLEXOMETRO-5-METROS"),
            (updated.Json["precio"]!.GetValue<decimal>(), updated.Json["stock"]!.GetValue<int>(), updated.Json["sku"]!.GetValue<string>()));

        (await observer.PostAsync("/productos", new { nombre = "X", precio = 1, stock = 1 })).AssertProblem(HttpStatusCode.Forbidden);
        (await seller.SendRawAsync(HttpMethod.Delete, $"/productos/{id}", "", "application/json")).AssertProblem(HttpStatusCode.Forbidden);
        (await seller.ImportAsync(CsvFiles.Utf8(CsvFiles.Header, "A,B,C,1,1,D"))).AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync($"/productos/{id}")).Status);

        var deleted = await tenant.Admin.SendRawAsync(HttpMethod.Delete, $"/productos/{id}", "", "application/json");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.False((await observer.GetAsync($"/productos/{id}")).Json["activo"]!.GetValue<bool>());
    }
}
