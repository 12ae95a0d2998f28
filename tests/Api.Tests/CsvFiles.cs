using System.Text;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

public static class CsvFiles
{
    static CsvFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public const string Header = "sku,nombre,descripcion,precio,stock,categoria";

    public static string Ferreteria => File.ReadAllText(Repository.EvalFile("ferreteria.csv"));

    public static byte[] Utf8(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    public static async Task<Answer> ImportAsync(this ApiClient client, byte[] body, string mode = "actualizar", string contentType = "text/csv")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        // As curl does for large bodies: the server may refuse before the upload is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/productos/importar?modo={mode}") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await client.Http.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers,
            await response.Content.ReadAsStringAsync());
    }

    public static async Task<Answer> ImportMultipartAsync(this ApiClient client, byte[] body, string mode)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(body);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "archivo", "catalogo.csv");
        using var response = await client.Http.PostAsync($"/productos/importar?modo={mode}", form);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers,
            await response.Content.ReadAsStringAsync());
    }

    public static async Task<byte[]> ExportAsync(this ApiClient client)
    {
        using var response = await client.Http.GetAsync("/productos/exportar");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>(fila, columna) of every error in a 422 import answer.</summary>
    public static List<(int Row, string? Column)> Errors(this Answer answer) =>
        answer.Json["errores"]!.AsArray()
            .Select(e => (e!["fila"]!.GetValue<int>(), e["columna"]?.GetValue<string>()))
            .ToList();
}
