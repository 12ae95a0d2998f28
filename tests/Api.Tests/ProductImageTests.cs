using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

/// <summary>imagen_url through the real Api and silo: create, update, the 422s, and the CSV column imagen.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProductImageTests(ApiFixture fixture)
{
    private const string Photo = "https://cdn.ferreteria.example/fotos/taladro-650w.jpg?v=2";

    private readonly ApiClient _anonymous = fixture.Anonymous();

    private static object Product(string nombre, string? imagen_url) =>
        new { nombre, descripcion = "Motor de 650 W", precio = 189900, stock = 12, categoria = "Herramientas eléctricas", imagen_url };

    private static string? ImageOf(JsonNode product) => product["imagen_url"]?.GetValue<string>();

    [Fact]
    public async Task Imagen_url_is_saved_replaced_cleared_and_read_back()
    {
        var tenant = await _anonymous.RegisterAsync();
        var created = await tenant.Admin.PostAsync("/productos", Product("Taladro percutor 650W", "  " + Photo + " "));
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        Assert.Equal(Photo, ImageOf(created.Json));
        var id = created.Json["id"]!.GetValue<string>();
        Assert.Equal(Photo, ImageOf((await tenant.Admin.GetAsync($"/productos/{id}")).Json));

        var replaced = await tenant.Admin.PutAsync($"/productos/{id}", Product("Taladro percutor 650W", "http://fotos.example/otra.png"));
        Assert.Equal("http://fotos.example/otra.png", ImageOf(replaced.Json));

        // PUT replaces every field: without imagen_url the product has no image any more.
        var cleared = await tenant.Admin.PutAsync($"/productos/{id}", Product("Taladro percutor 650W", null));
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.Null(ImageOf(cleared.Json));
        Assert.Null(ImageOf((await tenant.Admin.GetAsync($"/productos/{id}")).Json));
        Assert.Null(ImageOf((await tenant.Admin.PostAsync("/productos", Product("Sin foto", ""))).Json));
    }

    [Fact]
    public async Task The_chat_shows_a_product_with_its_picture_and_one_without_with_none()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/productos", Product("Taladro percutor 650W", Photo))).Status);
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/productos", Product("Pulidora angular 4 1/2", null))).Status);

        var drill = await tenant.Admin.PostAsync("/chat", new { mensaje = "¿cuánto vale el taladro percutor?" });
        Assert.True(drill.Status == HttpStatusCode.OK, drill.Body);
        var shown = Assert.Single(drill.Json["productos"]!.AsArray());
        Assert.Equal("Taladro percutor 650W", shown!["nombre"]!.GetValue<string>());
        Assert.Equal(Photo, ImageOf(shown));

        var grinder = await tenant.Admin.PostAsync("/chat", new { mensaje = "¿cuánto vale la pulidora angular?" });
        var plain = Assert.Single(grinder.Json["productos"]!.AsArray());
        Assert.Equal("Pulidora angular 4 1/2", plain!["nombre"]!.GetValue<string>());
        Assert.True(plain.AsObject().ContainsKey("imagen_url"));
        Assert.Null(ImageOf(plain));
    }

    [Fact]
    public async Task A_bad_imagen_url_answers_422_in_spanish_and_changes_nothing()
    {
        var tenant = await _anonymous.RegisterAsync();
        var created = await tenant.Admin.PostAsync("/productos", Product("Taladro percutor 650W", Photo));
        var id = created.Json["id"]!.GetValue<string>();

        var bad = new[]
        {
            "fotos/taladro.jpg", "ftp://fotos.example/taladro.jpg", "javascript:alert(1)", "https://fotos.example/mi taladro.jpg",
            "https://fotos.example/a\u0007b.jpg", "https:///sin-host.jpg", "https://fotos.example/" + new string('a', 2000), "data:image/png;base64,AAAA",
        };
        foreach (var url in bad)
        {
            var post = await tenant.Admin.PostAsync("/productos", Product("Otro taladro", url));
            post.AssertProblem(HttpStatusCode.UnprocessableEntity);
            Assert.NotEmpty(post.ErrorsFor("imagen_url"));
            var put = await tenant.Admin.PutAsync($"/productos/{id}", Product("Taladro cambiado", url));
            put.AssertProblem(HttpStatusCode.UnprocessableEntity);
            Assert.Contains(put.ErrorsFor("imagen_url"), m => m.Contains("imagen", StringComparison.Ordinal));
        }

        var all = await tenant.Admin.GetAsync("/productos");
        Assert.Equal(1, all.Json["total"]!.GetValue<int>());
        Assert.Equal(("Taladro percutor 650W", Photo), (all.Json["items"]![0]!["nombre"]!.GetValue<string>(), ImageOf(all.Json["items"]![0]!)));
    }

    [Fact]
    public async Task Csv_import_reads_imagen_the_export_writes_it_and_re_imports_unchanged()
    {
        var tenant = await _anonymous.RegisterAsync();
        var import = await tenant.Admin.ImportAsync(CsvFiles.Utf8(
            "sku,nombre,descripcion,precio,stock,Imagen",
            $"TA-1,Taladro percutor,Para concreto,189900,12,{Photo}",
            "MA-1,Martillo,De uña,25000,30,"));
        Assert.True(import.Status == HttpStatusCode.OK, import.Body);
        var listed = (await tenant.Admin.GetAsync("/productos")).Json["items"]!.AsArray().ToDictionary(p => p!["sku"]!.GetValue<string>(), p => ImageOf(p!));
        Assert.Equal(Photo, listed["TA-1"]);
        Assert.Null(listed["MA-1"]);

        var exported = await tenant.Admin.ExportAsync();
        var text = Encoding.UTF8.GetString(exported);
        Assert.Contains(",palabras_clave,imagen\r\n", text, StringComparison.Ordinal);
        Assert.Contains($",{Photo}\r\n", text, StringComparison.Ordinal);
        var again = await tenant.Admin.ImportAsync(exported, "reemplazar");
        Assert.True(again.Status == HttpStatusCode.OK, again.Body);
        Assert.Equal((0, 2), (again.Json["actualizados"]!.GetValue<int>(), again.Json["sin_cambios"]!.GetValue<int>()));

        // A file without the column keeps the image; a bad URL refuses the whole file, naming the row and the column.
        var withoutColumn = await tenant.Admin.ImportAsync(CsvFiles.Utf8("sku,nombre,descripcion,precio,stock", "TA-1,Taladro percutor,Para muro,189900,12"));
        Assert.Equal(1, withoutColumn.Json["actualizados"]!.GetValue<int>());
        var bad = await tenant.Admin.ImportAsync(CsvFiles.Utf8(
            "sku,nombre,descripcion,precio,stock,imagen",
            "TA-1,Taladro percutor,Para todo,189900,12,",
            "MA-1,Martillo,De uña,25000,30,www.fotos.example/martillo.jpg"));
        bad.AssertProblem(HttpStatusCode.UnprocessableEntity);
        var error = bad.Json["errores"]!.AsArray().Single()!;
        Assert.Equal((3, "imagen"), (error["fila"]!.GetValue<int>(), error["columna"]!.GetValue<string>()));
        Assert.Contains("URL", error["mensaje"]!.GetValue<string>(), StringComparison.Ordinal);

        var after = (await tenant.Admin.GetAsync("/productos?buscar=TA-1")).Json["items"]![0]!;
        Assert.Equal(("Para muro", Photo), (after["descripcion"]!.GetValue<string>(), ImageOf(after)));

        // An empty cell removes the image.
        var clear = await tenant.Admin.ImportAsync(CsvFiles.Utf8("sku,nombre,descripcion,precio,stock,imagen", "TA-1,Taladro percutor,Para muro,189900,12,"));
        Assert.Equal(1, clear.Json["actualizados"]!.GetValue<int>());
        Assert.Null(ImageOf((await tenant.Admin.GetAsync("/productos?buscar=TA-1")).Json["items"]![0]!));
    }
}
