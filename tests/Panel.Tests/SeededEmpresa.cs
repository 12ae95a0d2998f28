using AgenteVendedor.Testing;

namespace AgenteVendedor.Panel.Tests;

/// <summary>An empresa set up through the Api: the sample catalog, a customer, a sale and its conversation, and an observador.</summary>
public sealed record SeededEmpresa(string AdminEmail, string ObserverEmail)
{
    public static async Task<SeededEmpresa> CreateAsync(PanelFixture fixture)
    {
        using var api = fixture.Api();
        var admin = ApiCalls.NewEmail("admin");
        var token = await api.RegisterAsync("Ferretería Observada", admin);
        await api.ImportAsync(token, File.ReadAllText(Repository.EvalFile("ferreteria.csv")));
        var observer = ApiCalls.NewEmail("observador");
        await api.PostAsync(token, "/usuarios", new { nombre = "Olga Mira", email = observer, password = ApiCalls.Password, rol = "observador" });
        await api.PostAsync(token, "/clientes", new { nombre = "Pedro Pérez", telefono = "3109876543" });
        await api.OrderByChatAsync(token, "quiero 2 martillos");
        return new SeededEmpresa(admin, observer);
    }
}
