using System.Net;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class HttpContractTests(ApiFixture fixture)
{
    private readonly ApiClient _anonymous = fixture.Anonymous();

    [Fact]
    public async Task Health_and_readiness_report_database_and_cluster()
    {
        var alive = await _anonymous.GetAsync("/health");
        var ready = await _anonymous.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, alive.Status);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("ok", ready.Json["componentes"]!["base_de_datos"]!["estado"]!.GetValue<string>());
        Assert.Equal("ok", ready.Json["componentes"]!["cluster"]!["estado"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_requests_get_a_spanish_problem_and_never_a_500()
    {
        var tenant = await _anonymous.RegisterAsync();
        var admin = tenant.Admin;

        var malformed = await admin.SendRawAsync(HttpMethod.Put, "/empresa", "{\"nombre\": ", "application/json");
        malformed.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("JSON", malformed.Detail, StringComparison.Ordinal);

        var wrongType = await admin.SendRawAsync(HttpMethod.Put, "/empresa", "{\"nombre\": 42}", "application/json");
        wrongType.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("nombre", wrongType.Detail, StringComparison.Ordinal);

        (await admin.SendRawAsync(HttpMethod.Put, "/empresa", "", "application/json")).AssertProblem(HttpStatusCode.BadRequest);
        (await admin.SendRawAsync(HttpMethod.Put, "/empresa", "nombre=x", "text/plain")).AssertProblem(HttpStatusCode.UnsupportedMediaType);
        (await admin.SendRawAsync(HttpMethod.Post, "/auth/login", "[1,2,3]", "application/json")).AssertProblem(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/usuarios?pagina=uno")).AssertProblem(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/auditoria?desde=ayer")).AssertProblem(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"/usuarios/no-es-un-id")).AssertProblem(HttpStatusCode.NotFound);
        (await admin.GetAsync("/no-existe")).AssertProblem(HttpStatusCode.NotFound);
        (await admin.SendRawAsync(HttpMethod.Delete, "/empresa", "", "application/json")).AssertProblem(HttpStatusCode.MethodNotAllowed);

        var invalid = await admin.PutAsync("/empresa", new { tono = "grosero", nombre_agente = new string('x', 61), moneda = "ZZZ" });
        invalid.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(3, invalid.Json["errors"]!.AsObject().Count);
        var unchanged = await admin.GetAsync("/empresa");
        Assert.Equal("amigable", unchanged.Json["tono"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_and_the_interactive_docs_are_served()
    {
        var document = await _anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.Status);
        foreach (var path in new[] { "/auth/registro", "/auth/login", "/auth/yo", "/empresa", "/usuarios", "/auditoria" })
        {
            Assert.NotNull(document.Json["paths"]![path]);
        }

        using var http = fixture.Stack.CreateClient();
        var docs = await http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("openapi/v1.json", await docs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("demasiado-corta")]
    public async Task In_production_the_api_refuses_to_start_without_a_strong_signing_key(string? key)
    {
        var environment = new Dictionary<string, string>(fixture.Stack.Environment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (key is not null)
        {
            environment["Jwt__SigningKey"] = key;
        }

        await using var api = ProductProcess.Start("api-prod", Repository.ApiDll, environment,
            "--urls", $"http://127.0.0.1:{ProductProcess.FreePort()}");
        await api.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("Jwt:SigningKey", api.Output, StringComparison.Ordinal);
    }
}
