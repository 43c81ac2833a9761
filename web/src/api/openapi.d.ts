// Generated from the server's OpenAPI document by `npm run api:types`; do not edit.

export type paths = {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Opens a session: a bearer token, and the session and CSRF cookies for the admin app. Throttled per address and per account. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            expiresAt: string;
                            user: {
                                id: string;
                                email: string;
                                name: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Ends this session. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description S3: ends every session of the account, on every device, this one included. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                id: string;
                                email: string;
                                name: string;
                            };
                            companies: {
                                id: string;
                                name: string;
                                currency: string;
                                timezone: string;
                                country: string;
                                defaultTaxSystem: string;
                                /** @description the taxation systems of the company's country, any of which an item may carry (R23) */
                                taxSystems: string[];
                                role: string;
                                rights: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** @description S1: the account holder changes their own name; no company can. */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            name: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description S3: changes the password, proving the current one; every other session of the account ends. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description O7: the public origin links are built on, and who can open them; which ways of sending a link (email, SMS, WhatsApp) this server has. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            publicUrl: string;
                            publicUrlSet: boolean;
                            /** @enum {string} */
                            linkReach: "internet" | "local_network" | "this_computer";
                            sendChannels: {
                                email: boolean;
                                sms: boolean;
                                whatsapp: boolean;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                currency: string;
                                timezone: string;
                                country: string;
                                defaultTaxSystem: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description S2: open to owners of a company; the caller becomes the new one’s owner. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        currency: string;
                        timezone: string;
                        country: string;
                        defaultTaxSystem?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            currency: string;
                            timezone: string;
                            country: string;
                            defaultTaxSystem: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                title: string;
                                priceMin: number;
                                priceMax: number;
                                priceMinFormatted: string;
                                priceMaxFormatted: string;
                                taxSystem: string;
                                /** @enum {string} */
                                vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                                createdAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        priceMin: number;
                        priceMax: number;
                        taxSystem?: string;
                        /** @enum {string} */
                        vat?: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            priceMin: number;
                            priceMax: number;
                            priceMinFormatted: string;
                            priceMaxFormatted: string;
                            taxSystem: string;
                            /** @enum {string} */
                            vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/services/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            priceMin: number;
                            priceMax: number;
                            priceMinFormatted: string;
                            priceMaxFormatted: string;
                            taxSystem: string;
                            /** @enum {string} */
                            vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title?: string;
                        priceMin?: number;
                        priceMax?: number;
                        taxSystem?: string;
                        /** @enum {string} */
                        vat?: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            priceMin: number;
                            priceMax: number;
                            priceMinFormatted: string;
                            priceMaxFormatted: string;
                            taxSystem: string;
                            /** @enum {string} */
                            vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                            createdAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/companies/{companyId}/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description q matches the title, SKU or barcode (contains, any case); exact SKU or barcode matches come first. */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    q?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                title: string;
                                sku: string;
                                barcode: string | null;
                                /** @enum {string} */
                                kind: "goods" | "membership" | "gift_card";
                                price: number;
                                priceFormatted: string;
                                taxSystem: string;
                                /** @enum {string} */
                                vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                                createdAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        sku: string;
                        barcode?: string | null;
                        /** @enum {string} */
                        kind: "goods" | "membership" | "gift_card";
                        price: number;
                        taxSystem?: string;
                        /** @enum {string} */
                        vat?: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            sku: string;
                            barcode: string | null;
                            /** @enum {string} */
                            kind: "goods" | "membership" | "gift_card";
                            price: number;
                            priceFormatted: string;
                            taxSystem: string;
                            /** @enum {string} */
                            vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            sku: string;
                            barcode: string | null;
                            /** @enum {string} */
                            kind: "goods" | "membership" | "gift_card";
                            price: number;
                            priceFormatted: string;
                            taxSystem: string;
                            /** @enum {string} */
                            vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title?: string;
                        sku?: string;
                        barcode?: string | null;
                        /** @enum {string} */
                        kind?: "goods" | "membership" | "gift_card";
                        price?: number;
                        taxSystem?: string;
                        /** @enum {string} */
                        vat?: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            sku: string;
                            barcode: string | null;
                            /** @enum {string} */
                            kind: "goods" | "membership" | "gift_card";
                            price: number;
                            priceFormatted: string;
                            taxSystem: string;
                            /** @enum {string} */
                            vat: "none" | "vat0" | "vat5" | "vat7" | "vat10" | "vat20" | "vat22" | "vat5_105" | "vat7_107" | "vat10_110" | "vat20_120" | "vat22_122";
                            createdAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/companies/{companyId}/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description q matches the name or email (contains, any case) or the digits of the phone. */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    q?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                phone: string | null;
                                email: string | null;
                                createdAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        phone?: string | null;
                        email?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            phone: string | null;
                            email: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            phone: string | null;
                            email: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        phone?: string | null;
                        email?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            phone: string | null;
                            email: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/companies/{companyId}/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                createdAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/staff/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/companies/{companyId}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                email: string;
                                name: string;
                                /** @enum {string} */
                                role: "owner" | "administrator" | "staff" | "custom";
                                rights: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                                addedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Invites the holder of an email (S1): the answer is the same whether or not the email has an account, and nobody gets access until the holder accepts through the link — emailed, or, without SMTP_URL, shown here once as inviteUrl to hand over. Inviting an email with an open invitation renews it. `rights` replaces the role preset. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        /** @description how you call the person; they choose their own name when they accept */
                        name?: string;
                        /** @enum {string} */
                        role: "owner" | "administrator" | "staff" | "custom";
                        rights?: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            invitation: {
                                id: string;
                                email: string;
                                name: string | null;
                                /** @enum {string} */
                                role: "owner" | "administrator" | "staff" | "custom";
                                rights: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                                /** @enum {string} */
                                status: "pending" | "expired";
                                sentAt: string;
                                expiresAt: string;
                            };
                            /**
                             * @description email: the link went to the address; link: no mail is set up, hand inviteUrl over (shown this once)
                             * @enum {string}
                             */
                            delivery: "email" | "link";
                            inviteUrl?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "owner" | "administrator" | "staff" | "custom";
                            rights: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                            addedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description Removes the member from this company: their access here ends at once; the account stays. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** @description Changes the role and rights here; the account (name, email, password) is its holder’s alone. A role alone resets the rights to its preset; rights alone keep the role. Nobody can remove their own users.manage. */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role?: "owner" | "administrator" | "staff" | "custom";
                        rights?: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "owner" | "administrator" | "staff" | "custom";
                            rights: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                            addedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/companies/{companyId}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Invitations not yet accepted nor revoked (pending or expired). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                email: string;
                                name: string | null;
                                /** @enum {string} */
                                role: "owner" | "administrator" | "staff" | "custom";
                                rights: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                                /** @enum {string} */
                                status: "pending" | "expired";
                                sentAt: string;
                                expiresAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/invitations/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description A new link (the old one stops working), emailed again or shown once. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            invitation: {
                                id: string;
                                email: string;
                                name: string | null;
                                /** @enum {string} */
                                role: "owner" | "administrator" | "staff" | "custom";
                                rights: ("appointments.read" | "appointments.write" | "payments.record" | "payments.refund" | "products.sell" | "cashless_payment" | "finance.settings" | "reports.read" | "users.manage")[];
                                /** @enum {string} */
                                status: "pending" | "expired";
                                sentAt: string;
                                expiresAt: string;
                            };
                            /**
                             * @description email: the link went to the address; link: no mail is set up, hand inviteUrl over (shown this once)
                             * @enum {string}
                             */
                            delivery: "email" | "link";
                            inviteUrl?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Revokes the invitation: its link stops working. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description What an invitation link offers: the company, the email, and — only when the link was emailed — whether that email already has an account (then its password accepts); null when the link was shown to the inviter. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            companyName: string;
                            email: string;
                            name: string | null;
                            /** @enum {string} */
                            role: "owner" | "administrator" | "staff" | "custom";
                            accountExists: boolean | null;
                            expiresAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Accepts the invitation and signs in. A new person gives their name and chooses a password; an existing account gives its own password. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                        name?: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            expiresAt: string;
                            user: {
                                id: string;
                                email: string;
                                name: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Newest first. `action=payment` matches every payment.* action; `clientId` matches the entries of the client’s appointments and of the client record; `from` inclusive, `to` exclusive. */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    entityType?: string;
                    entityId?: string;
                    action?: string;
                    appointmentId?: string;
                    clientId?: string;
                    from?: string;
                    to?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                at: string;
                                actor: {
                                    /** @enum {string} */
                                    type: "user" | "client" | "provider" | "system";
                                    id: string | null;
                                    name: string | null;
                                };
                                action: string;
                                entityType: string;
                                entityId: string;
                                appointmentId: string | null;
                                clientName: string | null;
                                amountBefore: number | null;
                                amountAfter: number | null;
                                amountBeforeFormatted: string | null;
                                amountAfterFormatted: string | null;
                                details: {
                                    [key: string]: unknown;
                                };
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/reports/transactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description R19/R28: payments and refunds of the appointments dated `from`..`to` (inclusive, company time zone, at most 366 days). `format=csv` downloads every line (limit and cursor do not apply); JSON pages `items` by `limit`/`cursor` while `totals` always cover the whole range. Voided payments are listed but never counted. The CSV starts with a UTF-8 byte-order mark; `decimal=comma` separates fields with `;` and writes amounts as `12,50` (German, Russian Excel). */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    format?: "json" | "csv";
                    decimal?: "point" | "comma";
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            from: string;
                            to: string;
                            currency: string;
                            timezone: string;
                            totals: {
                                amount: number;
                                amountFormatted: string;
                                count: number;
                                byMethod: {
                                    /** @enum {string} */
                                    method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                    amount: number;
                                    amountFormatted: string;
                                    count: number;
                                }[];
                                byDay: {
                                    date: string;
                                    amount: number;
                                    amountFormatted: string;
                                    count: number;
                                    byMethod: {
                                        /** @enum {string} */
                                        method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                        amount: number;
                                        amountFormatted: string;
                                        count: number;
                                    }[];
                                }[];
                            };
                            items: {
                                paymentId: string;
                                appointmentId: string;
                                appointmentDate: string;
                                appointmentStartsAt: string;
                                paidAt: string;
                                /** @enum {string} */
                                method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                amount: number;
                                amountFormatted: string;
                                refundOf: string | null;
                                voided: boolean;
                                clientName: string;
                                staffName: string;
                                provider: string | null;
                                takenBy: {
                                    /** @enum {string} */
                                    type: "user" | "client" | "provider" | "system";
                                    id: string | null;
                                    name: string | null;
                                };
                                tip?: number;
                                tipFormatted?: string;
                            }[];
                            nextCursor: string | null;
                            tips: {
                                amount: number;
                                amountFormatted: string;
                                byStaff: {
                                    staffId: string;
                                    staffName: string;
                                    amount: number;
                                    amountFormatted: string;
                                    count: number;
                                }[];
                            };
                        };
                        "text/csv": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Appointments by start time, with items, payments and derived totals. */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    /** @description first day (company time zone) or instant, inclusive */
                    from?: string;
                    /** @description last day, inclusive (whole day in the company time zone), or instant, exclusive */
                    to?: string;
                };
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                client: {
                                    id: string;
                                    name: string;
                                };
                                staff: {
                                    id: string;
                                    name: string;
                                };
                                startsAt: string;
                                durationMinutes: number;
                                /** @enum {string} */
                                status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                                comment: string | null;
                                externalId: string | null;
                                currency: string;
                                items: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "service" | "product";
                                    serviceId: string | null;
                                    productId: string | null;
                                    /** @enum {string|null} */
                                    productKind: "goods" | "membership" | "gift_card" | null;
                                    title: string;
                                    unitPrice: number;
                                    unitPriceFormatted: string;
                                    quantity: number;
                                    total: number;
                                    totalFormatted: string;
                                    taxSystem: string;
                                    vat: string;
                                    priceMin: number | null;
                                    priceMax: number | null;
                                }[];
                                payments: {
                                    id: string;
                                    appointmentId: string;
                                    /** @enum {string} */
                                    method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                    amount: number;
                                    amountFormatted: string;
                                    currency: string;
                                    paidAt: string;
                                    voided: boolean;
                                    voidedAt: string | null;
                                    refundOf: string | null;
                                    recordedBy: {
                                        type: string;
                                        id: string | null;
                                        name: string | null;
                                    };
                                    refundable: number | null;
                                    tip?: number;
                                    tipFormatted?: string;
                                }[];
                                total: number;
                                totalFormatted: string;
                                paid: number;
                                paidFormatted: string;
                                due: number;
                                dueFormatted: string;
                                /** @enum {string} */
                                paymentStatus: "unpaid" | "partially_paid" | "paid";
                                lockedUntil: string | null;
                                createdAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        clientId: string;
                        staffId: string;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                        /** @default [] */
                        services?: {
                            serviceId: string;
                            /** @description within the service range; default priceMin */
                            price?: number;
                        }[];
                        comment?: string;
                        /** @description the id of this visit in your booking system; unique per company */
                        externalId?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            client: {
                                id: string;
                                name: string;
                            };
                            staff: {
                                id: string;
                                name: string;
                            };
                            startsAt: string;
                            durationMinutes: number;
                            /** @enum {string} */
                            status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                            comment: string | null;
                            externalId: string | null;
                            currency: string;
                            items: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            }[];
                            payments: {
                                id: string;
                                appointmentId: string;
                                /** @enum {string} */
                                method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                amount: number;
                                amountFormatted: string;
                                currency: string;
                                paidAt: string;
                                voided: boolean;
                                voidedAt: string | null;
                                refundOf: string | null;
                                recordedBy: {
                                    type: string;
                                    id: string | null;
                                    name: string | null;
                                };
                                refundable: number | null;
                                tip?: number;
                                tipFormatted?: string;
                            }[];
                            total: number;
                            totalFormatted: string;
                            paid: number;
                            paidFormatted: string;
                            due: number;
                            dueFormatted: string;
                            /** @enum {string} */
                            paymentStatus: "unpaid" | "partially_paid" | "paid";
                            lockedUntil: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description One appointment with its items, payments and totals, its payment link and attempts (with cashless_payment) and refunds. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            client: {
                                id: string;
                                name: string;
                            };
                            staff: {
                                id: string;
                                name: string;
                            };
                            startsAt: string;
                            durationMinutes: number;
                            /** @enum {string} */
                            status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                            comment: string | null;
                            externalId: string | null;
                            currency: string;
                            items: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            }[];
                            payments: {
                                id: string;
                                appointmentId: string;
                                /** @enum {string} */
                                method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                amount: number;
                                amountFormatted: string;
                                currency: string;
                                paidAt: string;
                                voided: boolean;
                                voidedAt: string | null;
                                refundOf: string | null;
                                recordedBy: {
                                    type: string;
                                    id: string | null;
                                    name: string | null;
                                };
                                refundable: number | null;
                                tip?: number;
                                tipFormatted?: string;
                            }[];
                            total: number;
                            totalFormatted: string;
                            paid: number;
                            paidFormatted: string;
                            due: number;
                            dueFormatted: string;
                            /** @enum {string} */
                            paymentStatus: "unpaid" | "partially_paid" | "paid";
                            lockedUntil: string | null;
                            createdAt: string;
                            paymentLink: {
                                id: string;
                                url: string;
                                token: string;
                                /** @enum {string} */
                                status: "active" | "paid" | "disabled";
                                amount: number | null;
                                amountFormatted: string | null;
                                collected: number;
                                collectedFormatted: string;
                                createdAt: string;
                                openedAt: string | null;
                                paidAt: string | null;
                                disabledAt: string | null;
                                attempts: {
                                    id: string;
                                    /** @enum {string} */
                                    status: "creating" | "pending" | "succeeded" | "failed" | "expired" | "canceled" | "needs_review";
                                    providerStatus: string | null;
                                    provider: string;
                                    amount: number;
                                    amountFormatted: string;
                                    createdAt: string;
                                    expiresAt: string;
                                    endedAt: string | null;
                                    failure: string | null;
                                    providerAmount: number | null;
                                    providerCurrency: string | null;
                                    providerAmountFormatted: string | null;
                                    receipt: {
                                        customer: {
                                            email?: string;
                                            phone?: string;
                                        };
                                        taxSystem: string;
                                        items: {
                                            description: string;
                                            quantity: number;
                                            amount: number;
                                            vat: string;
                                            paymentSubject: string;
                                            paymentMode: string;
                                        }[];
                                    } | null;
                                }[];
                            } | null;
                            refunds: {
                                id: string;
                                paymentId: string;
                                amount: number;
                                amountFormatted: string;
                                reason: string;
                                /** @enum {string} */
                                status: "requested" | "succeeded" | "failed";
                                failure: string | null;
                                createdAt: string;
                                /** @enum {string} */
                                origin: "overpayment" | "staff" | "provider";
                                requestedBy: string | null;
                            }[];
                            settlementReceipts: {
                                id: string;
                                paymentId: string;
                                /** @enum {string} */
                                status: "pending" | "sent" | "failed" | "not_needed";
                                amount: number | null;
                                amountFormatted: string | null;
                                failure: string | null;
                                dueAt: string;
                                updatedAt: string;
                            }[];
                            linkReminders: {
                                nextAt: string | null;
                                nextChannel: string | null;
                                sent: number;
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description Soft delete; refused (422) while payments still count. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** @description Cancelling changes the money and answers 409 appointment_locked while a client pays by link; other fields stay editable. */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: date-time */
                        startsAt?: string;
                        durationMinutes?: number;
                        staffId?: string;
                        clientId?: string;
                        /** @enum {string} */
                        status?: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                        comment?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            client: {
                                id: string;
                                name: string;
                            };
                            staff: {
                                id: string;
                                name: string;
                            };
                            startsAt: string;
                            durationMinutes: number;
                            /** @enum {string} */
                            status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                            comment: string | null;
                            externalId: string | null;
                            currency: string;
                            items: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            }[];
                            payments: {
                                id: string;
                                appointmentId: string;
                                /** @enum {string} */
                                method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                amount: number;
                                amountFormatted: string;
                                currency: string;
                                paidAt: string;
                                voided: boolean;
                                voidedAt: string | null;
                                refundOf: string | null;
                                recordedBy: {
                                    type: string;
                                    id: string | null;
                                    name: string | null;
                                };
                                refundable: number | null;
                                tip?: number;
                                tipFormatted?: string;
                            }[];
                            total: number;
                            totalFormatted: string;
                            paid: number;
                            paidFormatted: string;
                            due: number;
                            dueFormatted: string;
                            /** @enum {string} */
                            paymentStatus: "unpaid" | "partially_paid" | "paid";
                            lockedUntil: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Adds a line. A product already on the appointment at the same price adds to that line's quantity (a scan of the same SKU), answering the line it changed. 409 appointment_locked while a client pays by link (R13). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            /** @description A service {serviceId, price?} or a product {productId | sku, quantity} */
            requestBody: {
                content: {
                    "application/json": {
                        serviceId?: string;
                        /** @description services only: within the service range; default priceMin */
                        price?: number;
                        productId?: string;
                        /** @description products: instead of productId (R21) */
                        sku?: string;
                        /** @description products only; default 1 */
                        quantity?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            item: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            };
                            appointment: {
                                id: string;
                                client: {
                                    id: string;
                                    name: string;
                                };
                                staff: {
                                    id: string;
                                    name: string;
                                };
                                startsAt: string;
                                durationMinutes: number;
                                /** @enum {string} */
                                status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                                comment: string | null;
                                externalId: string | null;
                                currency: string;
                                items: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "service" | "product";
                                    serviceId: string | null;
                                    productId: string | null;
                                    /** @enum {string|null} */
                                    productKind: "goods" | "membership" | "gift_card" | null;
                                    title: string;
                                    unitPrice: number;
                                    unitPriceFormatted: string;
                                    quantity: number;
                                    total: number;
                                    totalFormatted: string;
                                    taxSystem: string;
                                    vat: string;
                                    priceMin: number | null;
                                    priceMax: number | null;
                                }[];
                                payments: {
                                    id: string;
                                    appointmentId: string;
                                    /** @enum {string} */
                                    method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                    amount: number;
                                    amountFormatted: string;
                                    currency: string;
                                    paidAt: string;
                                    voided: boolean;
                                    voidedAt: string | null;
                                    refundOf: string | null;
                                    recordedBy: {
                                        type: string;
                                        id: string | null;
                                        name: string | null;
                                    };
                                    refundable: number | null;
                                    tip?: number;
                                    tipFormatted?: string;
                                }[];
                                total: number;
                                totalFormatted: string;
                                paid: number;
                                paidFormatted: string;
                                due: number;
                                dueFormatted: string;
                                /** @enum {string} */
                                paymentStatus: "unpaid" | "partially_paid" | "paid";
                                lockedUntil: string | null;
                                createdAt: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/items/{itemId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Removes a line; answers it as it was and the appointment after. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                    itemId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            item: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            };
                            appointment: {
                                id: string;
                                client: {
                                    id: string;
                                    name: string;
                                };
                                staff: {
                                    id: string;
                                    name: string;
                                };
                                startsAt: string;
                                durationMinutes: number;
                                /** @enum {string} */
                                status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                                comment: string | null;
                                externalId: string | null;
                                currency: string;
                                items: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "service" | "product";
                                    serviceId: string | null;
                                    productId: string | null;
                                    /** @enum {string|null} */
                                    productKind: "goods" | "membership" | "gift_card" | null;
                                    title: string;
                                    unitPrice: number;
                                    unitPriceFormatted: string;
                                    quantity: number;
                                    total: number;
                                    totalFormatted: string;
                                    taxSystem: string;
                                    vat: string;
                                    priceMin: number | null;
                                    priceMax: number | null;
                                }[];
                                payments: {
                                    id: string;
                                    appointmentId: string;
                                    /** @enum {string} */
                                    method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                    amount: number;
                                    amountFormatted: string;
                                    currency: string;
                                    paidAt: string;
                                    voided: boolean;
                                    voidedAt: string | null;
                                    refundOf: string | null;
                                    recordedBy: {
                                        type: string;
                                        id: string | null;
                                        name: string | null;
                                    };
                                    refundable: number | null;
                                    tip?: number;
                                    tipFormatted?: string;
                                }[];
                                total: number;
                                totalFormatted: string;
                                paid: number;
                                paidFormatted: string;
                                due: number;
                                dueFormatted: string;
                                /** @enum {string} */
                                paymentStatus: "unpaid" | "partially_paid" | "paid";
                                lockedUntil: string | null;
                                createdAt: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                    itemId: string;
                };
                cookie?: never;
            };
            /** @description price for a service line (within its range), quantity for a product line */
            requestBody: {
                content: {
                    "application/json": {
                        price?: number;
                        quantity?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            item: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            };
                            appointment: {
                                id: string;
                                client: {
                                    id: string;
                                    name: string;
                                };
                                staff: {
                                    id: string;
                                    name: string;
                                };
                                startsAt: string;
                                durationMinutes: number;
                                /** @enum {string} */
                                status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                                comment: string | null;
                                externalId: string | null;
                                currency: string;
                                items: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "service" | "product";
                                    serviceId: string | null;
                                    productId: string | null;
                                    /** @enum {string|null} */
                                    productKind: "goods" | "membership" | "gift_card" | null;
                                    title: string;
                                    unitPrice: number;
                                    unitPriceFormatted: string;
                                    quantity: number;
                                    total: number;
                                    totalFormatted: string;
                                    taxSystem: string;
                                    vat: string;
                                    priceMin: number | null;
                                    priceMax: number | null;
                                }[];
                                payments: {
                                    id: string;
                                    appointmentId: string;
                                    /** @enum {string} */
                                    method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                    amount: number;
                                    amountFormatted: string;
                                    currency: string;
                                    paidAt: string;
                                    voided: boolean;
                                    voidedAt: string | null;
                                    refundOf: string | null;
                                    recordedBy: {
                                        type: string;
                                        id: string | null;
                                        name: string | null;
                                    };
                                    refundable: number | null;
                                    tip?: number;
                                    tipFormatted?: string;
                                }[];
                                total: number;
                                totalFormatted: string;
                                paid: number;
                                paidFormatted: string;
                                due: number;
                                dueFormatted: string;
                                /** @enum {string} */
                                paymentStatus: "unpaid" | "partially_paid" | "paid";
                                lockedUntil: string | null;
                                createdAt: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/external/{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The appointment a booking system knows by its own id, with its payment link and attempts (with cashless_payment) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    /** @description the id of this visit in your booking system (URL-encoded); unique per company */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            client: {
                                id: string;
                                name: string;
                            };
                            staff: {
                                id: string;
                                name: string;
                            };
                            startsAt: string;
                            durationMinutes: number;
                            /** @enum {string} */
                            status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                            comment: string | null;
                            externalId: string | null;
                            currency: string;
                            items: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            }[];
                            payments: {
                                id: string;
                                appointmentId: string;
                                /** @enum {string} */
                                method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                amount: number;
                                amountFormatted: string;
                                currency: string;
                                paidAt: string;
                                voided: boolean;
                                voidedAt: string | null;
                                refundOf: string | null;
                                recordedBy: {
                                    type: string;
                                    id: string | null;
                                    name: string | null;
                                };
                                refundable: number | null;
                                tip?: number;
                                tipFormatted?: string;
                            }[];
                            total: number;
                            totalFormatted: string;
                            paid: number;
                            paidFormatted: string;
                            due: number;
                            dueFormatted: string;
                            /** @enum {string} */
                            paymentStatus: "unpaid" | "partially_paid" | "paid";
                            lockedUntil: string | null;
                            createdAt: string;
                            paymentLink: {
                                id: string;
                                url: string;
                                token: string;
                                /** @enum {string} */
                                status: "active" | "paid" | "disabled";
                                amount: number | null;
                                amountFormatted: string | null;
                                collected: number;
                                collectedFormatted: string;
                                createdAt: string;
                                openedAt: string | null;
                                paidAt: string | null;
                                disabledAt: string | null;
                                attempts: {
                                    id: string;
                                    /** @enum {string} */
                                    status: "creating" | "pending" | "succeeded" | "failed" | "expired" | "canceled" | "needs_review";
                                    providerStatus: string | null;
                                    provider: string;
                                    amount: number;
                                    amountFormatted: string;
                                    createdAt: string;
                                    expiresAt: string;
                                    endedAt: string | null;
                                    failure: string | null;
                                    providerAmount: number | null;
                                    providerCurrency: string | null;
                                    providerAmountFormatted: string | null;
                                    receipt: {
                                        customer: {
                                            email?: string;
                                            phone?: string;
                                        };
                                        taxSystem: string;
                                        items: {
                                            description: string;
                                            quantity: number;
                                            amount: number;
                                            vat: string;
                                            paymentSubject: string;
                                            paymentMode: string;
                                        }[];
                                    } | null;
                                }[];
                            } | null;
                            refunds: {
                                id: string;
                                paymentId: string;
                                amount: number;
                                amountFormatted: string;
                                reason: string;
                                /** @enum {string} */
                                status: "requested" | "succeeded" | "failed";
                                failure: string | null;
                                createdAt: string;
                                /** @enum {string} */
                                origin: "overpayment" | "staff" | "provider";
                                requestedBy: string | null;
                            }[];
                            settlementReceipts: {
                                id: string;
                                paymentId: string;
                                /** @enum {string} */
                                status: "pending" | "sent" | "failed" | "not_needed";
                                amount: number | null;
                                amountFormatted: string | null;
                                failure: string | null;
                                dueAt: string;
                                updatedAt: string;
                            }[];
                            linkReminders: {
                                nextAt: string | null;
                                nextChannel: string | null;
                                sent: number;
                            } | null;
                        };
                    };
                };
            };
        };
        /**
         * Create or update the appointment a booking system knows by its own id
         * @description Send the whole visit every time it changes. 201 when the appointment was created, 200 when it existed: its time, staff member, client, comment and status are brought in line, and its service lines are replaced by the ones sent (lines that match by service and price stay; products sold at the desk stay). Pushing the same visit again changes nothing. Changing the services answers 409 appointment_locked while a client pays by link.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    /** @description the id of this visit in your booking system (URL-encoded); unique per company */
                    externalId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description a Visitpay client id; or send `client` instead */
                        clientId?: string;
                        staffId: string;
                        /** Format: date-time */
                        startsAt: string;
                        durationMinutes: number;
                        /** @default [] */
                        services?: {
                            serviceId: string;
                            /** @description within the service range; default priceMin */
                            price?: number;
                        }[];
                        /** @description absent: left as it is; null or empty: cleared */
                        comment?: string | null;
                        /** @description the client as your booking system knows them: found by phone, else email, and created when new */
                        client?: {
                            name: string;
                            phone?: string;
                            email?: string;
                        };
                        /**
                         * @description absent: left as it is (booked for a new visit)
                         * @enum {string}
                         */
                        status?: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            client: {
                                id: string;
                                name: string;
                            };
                            staff: {
                                id: string;
                                name: string;
                            };
                            startsAt: string;
                            durationMinutes: number;
                            /** @enum {string} */
                            status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                            comment: string | null;
                            externalId: string | null;
                            currency: string;
                            items: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            }[];
                            payments: {
                                id: string;
                                appointmentId: string;
                                /** @enum {string} */
                                method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                amount: number;
                                amountFormatted: string;
                                currency: string;
                                paidAt: string;
                                voided: boolean;
                                voidedAt: string | null;
                                refundOf: string | null;
                                recordedBy: {
                                    type: string;
                                    id: string | null;
                                    name: string | null;
                                };
                                refundable: number | null;
                                tip?: number;
                                tipFormatted?: string;
                            }[];
                            total: number;
                            totalFormatted: string;
                            paid: number;
                            paidFormatted: string;
                            due: number;
                            dueFormatted: string;
                            /** @enum {string} */
                            paymentStatus: "unpaid" | "partially_paid" | "paid";
                            lockedUntil: string | null;
                            createdAt: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            client: {
                                id: string;
                                name: string;
                            };
                            staff: {
                                id: string;
                                name: string;
                            };
                            startsAt: string;
                            durationMinutes: number;
                            /** @enum {string} */
                            status: "booked" | "confirmed" | "arrived" | "no_show" | "cancelled";
                            comment: string | null;
                            externalId: string | null;
                            currency: string;
                            items: {
                                id: string;
                                /** @enum {string} */
                                kind: "service" | "product";
                                serviceId: string | null;
                                productId: string | null;
                                /** @enum {string|null} */
                                productKind: "goods" | "membership" | "gift_card" | null;
                                title: string;
                                unitPrice: number;
                                unitPriceFormatted: string;
                                quantity: number;
                                total: number;
                                totalFormatted: string;
                                taxSystem: string;
                                vat: string;
                                priceMin: number | null;
                                priceMax: number | null;
                            }[];
                            payments: {
                                id: string;
                                appointmentId: string;
                                /** @enum {string} */
                                method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                                amount: number;
                                amountFormatted: string;
                                currency: string;
                                paidAt: string;
                                voided: boolean;
                                voidedAt: string | null;
                                refundOf: string | null;
                                recordedBy: {
                                    type: string;
                                    id: string | null;
                                    name: string | null;
                                };
                                refundable: number | null;
                                tip?: number;
                                tipFormatted?: string;
                            }[];
                            total: number;
                            totalFormatted: string;
                            paid: number;
                            paidFormatted: string;
                            due: number;
                            dueFormatted: string;
                            /** @enum {string} */
                            paymentStatus: "unpaid" | "partially_paid" | "paid";
                            lockedUntil: string | null;
                            createdAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Records a desk payment (R15). 422 nothing_due / amount_exceeds_due; 409 appointment_locked while a client pays by link; 409 idempotency_key_reused when a key comes back with a different body. */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description a retry with the same key and body answers the first result and writes nothing */
                    "idempotency-key"?: string;
                };
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description any method but 'online', which only a payment link takes
                         * @enum {string}
                         */
                        method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit";
                        /** @description minor units, at most the amount due */
                        amount: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            appointmentId: string;
                            /** @enum {string} */
                            method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                            amount: number;
                            amountFormatted: string;
                            currency: string;
                            paidAt: string;
                            voided: boolean;
                            voidedAt: string | null;
                            refundOf: string | null;
                            recordedBy: {
                                type: string;
                                id: string | null;
                                name: string | null;
                            };
                            refundable: number | null;
                            tip?: number;
                            tipFormatted?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payments/{paymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Voids a desk payment: it stays in the ledger and stops counting. Online payments and refunds cannot be voided. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                    paymentId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            appointmentId: string;
                            /** @enum {string} */
                            method: "cash" | "card" | "bank_transfer" | "loyalty_points" | "cashback" | "gift_card" | "membership" | "deposit" | "online";
                            amount: number;
                            amountFormatted: string;
                            currency: string;
                            paidAt: string;
                            voided: boolean;
                            voidedAt: string | null;
                            refundOf: string | null;
                            recordedBy: {
                                type: string;
                                id: string | null;
                                name: string | null;
                            };
                            refundable: number | null;
                            tip?: number;
                            tipFormatted?: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payments/{paymentId}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description R31: refunds an online payment in full or in part through the provider that took it, with its share of the fiscal receipt. 201 with the refund: `requested` while the provider has not confirmed it (the refund job keeps asking with the same idempotency key), `succeeded`, or `failed` with the provider’s reason. 404 not_found (payment of another appointment or company); 422 desk_payment_not_refundable (void it instead) / payment_not_refundable (a refund) / amount_exceeds_refundable (details.refundable says what is left) / provider_not_connected (the provider that took it is not connected now); 409 attempt_open while the client is paying the appointment by link; 409 idempotency_key_reused when a key comes back with a different body. Nothing is written when refused. */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description a retry with the same key and body answers the first result and writes nothing */
                    "idempotency-key"?: string;
                };
                path: {
                    companyId: string;
                    id: string;
                    paymentId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description minor units, at most what is left to refund of the payment (its `refundable`) */
                        amount: number;
                        /** @description why the money goes back; shown to staff, in the audit log and the refund.created webhook */
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            refund: {
                                id: string;
                                paymentId: string;
                                amount: number;
                                amountFormatted: string;
                                reason: string;
                                /** @enum {string} */
                                status: "requested" | "succeeded" | "failed";
                                failure: string | null;
                                createdAt: string;
                                /** @enum {string} */
                                origin: "overpayment" | "staff" | "provider";
                                requestedBy: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            refund: {
                                id: string;
                                paymentId: string;
                                amount: number;
                                amountFormatted: string;
                                reason: string;
                                /** @enum {string} */
                                status: "requested" | "succeeded" | "failed";
                                failure: string | null;
                                createdAt: string;
                                /** @enum {string} */
                                origin: "overpayment" | "staff" | "provider";
                                requestedBy: string | null;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/cashless": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string|null} */
                            provider: "sandbox" | "stripe" | "yookassa" | null;
                            connected: boolean;
                            connectedAt: string | null;
                            credentialsHint: {
                                [key: string]: string;
                            };
                            payByLinkEnabled: boolean;
                            available: boolean;
                            fiscalization: {
                                enabled: boolean;
                                taxSystem?: string;
                                /** @enum {string} */
                                delivery: "email" | "phone" | "any";
                            };
                            sandboxNotifications: ({
                                /** @enum {string} */
                                mode: "normal";
                            } | {
                                /** @enum {string} */
                                mode: "delay";
                                /** @default 30 */
                                delaySeconds: number;
                            } | {
                                /** @enum {string} */
                                mode: "duplicate";
                            } | {
                                /** @enum {string} */
                                mode: "drop";
                            }) | null;
                            webhookUrl: string | null;
                            providers: ("sandbox" | "stripe" | "yookassa")[];
                        };
                    };
                };
            };
        };
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        sandboxNotifications?: {
                            /** @enum {string} */
                            mode: "normal";
                        } | {
                            /** @enum {string} */
                            mode: "delay";
                            /** @default 30 */
                            delaySeconds?: number;
                        } | {
                            /** @enum {string} */
                            mode: "duplicate";
                        } | {
                            /** @enum {string} */
                            mode: "drop";
                        };
                        payByLinkEnabled?: boolean;
                        fiscalization?: {
                            enabled?: boolean;
                            taxSystem?: string;
                            /** @enum {string} */
                            delivery?: "email" | "phone" | "any";
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string|null} */
                            provider: "sandbox" | "stripe" | "yookassa" | null;
                            connected: boolean;
                            connectedAt: string | null;
                            credentialsHint: {
                                [key: string]: string;
                            };
                            payByLinkEnabled: boolean;
                            available: boolean;
                            fiscalization: {
                                enabled: boolean;
                                taxSystem?: string;
                                /** @enum {string} */
                                delivery: "email" | "phone" | "any";
                            };
                            sandboxNotifications: ({
                                /** @enum {string} */
                                mode: "normal";
                            } | {
                                /** @enum {string} */
                                mode: "delay";
                                /** @default 30 */
                                delaySeconds: number;
                            } | {
                                /** @enum {string} */
                                mode: "duplicate";
                            } | {
                                /** @enum {string} */
                                mode: "drop";
                            }) | null;
                            webhookUrl: string | null;
                            providers: ("sandbox" | "stripe" | "yookassa")[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/cashless/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        provider: "sandbox" | "stripe" | "yookassa";
                        /** @default {} */
                        credentials?: {
                            [key: string]: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string|null} */
                            provider: "sandbox" | "stripe" | "yookassa" | null;
                            connected: boolean;
                            connectedAt: string | null;
                            credentialsHint: {
                                [key: string]: string;
                            };
                            payByLinkEnabled: boolean;
                            available: boolean;
                            fiscalization: {
                                enabled: boolean;
                                taxSystem?: string;
                                /** @enum {string} */
                                delivery: "email" | "phone" | "any";
                            };
                            sandboxNotifications: ({
                                /** @enum {string} */
                                mode: "normal";
                            } | {
                                /** @enum {string} */
                                mode: "delay";
                                /** @default 30 */
                                delaySeconds: number;
                            } | {
                                /** @enum {string} */
                                mode: "duplicate";
                            } | {
                                /** @enum {string} */
                                mode: "drop";
                            }) | null;
                            webhookUrl: string | null;
                            providers: ("sandbox" | "stripe" | "yookassa")[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/cashless/connection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Disconnects the provider: credentials wiped, pay-by-link off (links say it is unavailable). 409 `attempts_open` while a checkout attempt is creating or pending, 409 `provider_work_open` while a refund or a settlement receipt waits for the provider's answer. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string|null} */
                            provider: "sandbox" | "stripe" | "yookassa" | null;
                            connected: boolean;
                            connectedAt: string | null;
                            credentialsHint: {
                                [key: string]: string;
                            };
                            payByLinkEnabled: boolean;
                            available: boolean;
                            fiscalization: {
                                enabled: boolean;
                                taxSystem?: string;
                                /** @enum {string} */
                                delivery: "email" | "phone" | "any";
                            };
                            sandboxNotifications: ({
                                /** @enum {string} */
                                mode: "normal";
                            } | {
                                /** @enum {string} */
                                mode: "delay";
                                /** @default 30 */
                                delaySeconds: number;
                            } | {
                                /** @enum {string} */
                                mode: "duplicate";
                            } | {
                                /** @enum {string} */
                                mode: "drop";
                            }) | null;
                            webhookUrl: string | null;
                            providers: ("sandbox" | "stripe" | "yookassa")[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/tips": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            presets: number[];
                            available: boolean;
                            offered: boolean;
                        };
                    };
                };
            };
        };
        /** @description R40: tips on the link page (off by default; presets are whole percentages 0–30, at most 4). 409 `tips_unavailable` when switching them on while fiscalization is on. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        enabled?: boolean;
                        presets?: number[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            presets: number[];
                            available: boolean;
                            offered: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/branding": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accentColor: string | null;
                            contactLine: string | null;
                            logo: {
                                url: string;
                                /** @enum {string} */
                                type: "image/png" | "image/jpeg" | "image/webp";
                                width: number;
                                height: number;
                            } | null;
                            confirmationEmail: boolean;
                        };
                    };
                };
            };
        };
        /** @description R39: the accent colour (`#rrggbb`; white text on it must reach 4.5:1, else 400 with `suggestion`) and the contact line (one line of plain text); R41 `confirmationEmail` (on by default): a link payment is confirmed to the client by email when SMTP_URL is set. `null` clears one; an absent field stays as it is. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        accentColor?: string | null;
                        contactLine?: string | null;
                        confirmationEmail?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accentColor: string | null;
                            contactLine: string | null;
                            logo: {
                                url: string;
                                /** @enum {string} */
                                type: "image/png" | "image/jpeg" | "image/webp";
                                width: number;
                                height: number;
                            } | null;
                            confirmationEmail: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/branding/logo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** @description R39: the logo, PNG, JPEG or WebP, at most 200 KB, as base64 in `logo`. Its type is read from its bytes; SVG and anything else is refused (400, `field: logo`), a larger file is 413. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        logo: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accentColor: string | null;
                            contactLine: string | null;
                            logo: {
                                url: string;
                                /** @enum {string} */
                                type: "image/png" | "image/jpeg" | "image/webp";
                                width: number;
                                height: number;
                            } | null;
                            confirmationEmail: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accentColor: string | null;
                            contactLine: string | null;
                            logo: {
                                url: string;
                                /** @enum {string} */
                                type: "image/png" | "image/jpeg" | "image/webp";
                                width: number;
                                height: number;
                            } | null;
                            confirmationEmail: boolean;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payment-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The appointment's link and its attempts (R29) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            token: string;
                            /** @enum {string} */
                            status: "active" | "paid" | "disabled";
                            amount: number | null;
                            amountFormatted: string | null;
                            collected: number;
                            collectedFormatted: string;
                            createdAt: string;
                            openedAt: string | null;
                            paidAt: string | null;
                            disabledAt: string | null;
                            attempts: {
                                id: string;
                                /** @enum {string} */
                                status: "creating" | "pending" | "succeeded" | "failed" | "expired" | "canceled" | "needs_review";
                                providerStatus: string | null;
                                provider: string;
                                amount: number;
                                amountFormatted: string;
                                createdAt: string;
                                expiresAt: string;
                                endedAt: string | null;
                                failure: string | null;
                                providerAmount: number | null;
                                providerCurrency: string | null;
                                providerAmountFormatted: string | null;
                                receipt: {
                                    customer: {
                                        email?: string;
                                        phone?: string;
                                    };
                                    taxSystem: string;
                                    items: {
                                        description: string;
                                        quantity: number;
                                        amount: number;
                                        vat: string;
                                        paymentSubject: string;
                                        paymentMode: string;
                                    }[];
                                } | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Copy payment link: the active link, created if needed (R5) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        amount?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            token: string;
                            /** @enum {string} */
                            status: "active" | "paid" | "disabled";
                            amount: number | null;
                            amountFormatted: string | null;
                            collected: number;
                            collectedFormatted: string;
                            createdAt: string;
                            openedAt: string | null;
                            paidAt: string | null;
                            disabledAt: string | null;
                            attempts: {
                                id: string;
                                /** @enum {string} */
                                status: "creating" | "pending" | "succeeded" | "failed" | "expired" | "canceled" | "needs_review";
                                providerStatus: string | null;
                                provider: string;
                                amount: number;
                                amountFormatted: string;
                                createdAt: string;
                                expiresAt: string;
                                endedAt: string | null;
                                failure: string | null;
                                providerAmount: number | null;
                                providerCurrency: string | null;
                                providerAmountFormatted: string | null;
                                receipt: {
                                    customer: {
                                        email?: string;
                                        phone?: string;
                                    };
                                    taxSystem: string;
                                    items: {
                                        description: string;
                                        quantity: number;
                                        amount: number;
                                        vat: string;
                                        paymentSubject: string;
                                        paymentMode: string;
                                    }[];
                                } | null;
                            }[];
                        };
                    };
                };
            };
        };
        /** Disable the active link */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            token: string;
                            /** @enum {string} */
                            status: "active" | "paid" | "disabled";
                            amount: number | null;
                            amountFormatted: string | null;
                            collected: number;
                            collectedFormatted: string;
                            createdAt: string;
                            openedAt: string | null;
                            paidAt: string | null;
                            disabledAt: string | null;
                            attempts: {
                                id: string;
                                /** @enum {string} */
                                status: "creating" | "pending" | "succeeded" | "failed" | "expired" | "canceled" | "needs_review";
                                providerStatus: string | null;
                                provider: string;
                                amount: number;
                                amountFormatted: string;
                                createdAt: string;
                                expiresAt: string;
                                endedAt: string | null;
                                failure: string | null;
                                providerAmount: number | null;
                                providerCurrency: string | null;
                                providerAmountFormatted: string | null;
                                receipt: {
                                    customer: {
                                        email?: string;
                                        phone?: string;
                                    };
                                    taxSystem: string;
                                    items: {
                                        description: string;
                                        quantity: number;
                                        amount: number;
                                        vat: string;
                                        paymentSubject: string;
                                        paymentMode: string;
                                    }[];
                                } | null;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payment-link/cancel-attempt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel the online payment in progress and unlock (R13) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            token: string;
                            /** @enum {string} */
                            status: "active" | "paid" | "disabled";
                            amount: number | null;
                            amountFormatted: string | null;
                            collected: number;
                            collectedFormatted: string;
                            createdAt: string;
                            openedAt: string | null;
                            paidAt: string | null;
                            disabledAt: string | null;
                            attempts: {
                                id: string;
                                /** @enum {string} */
                                status: "creating" | "pending" | "succeeded" | "failed" | "expired" | "canceled" | "needs_review";
                                providerStatus: string | null;
                                provider: string;
                                amount: number;
                                amountFormatted: string;
                                createdAt: string;
                                expiresAt: string;
                                endedAt: string | null;
                                failure: string | null;
                                providerAmount: number | null;
                                providerCurrency: string | null;
                                providerAmountFormatted: string | null;
                                receipt: {
                                    customer: {
                                        email?: string;
                                        phone?: string;
                                    };
                                    taxSystem: string;
                                    items: {
                                        description: string;
                                        quantity: number;
                                        amount: number;
                                        vat: string;
                                        paymentSubject: string;
                                        paymentMode: string;
                                    }[];
                                } | null;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payment-link/qr.svg": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** QR code of the active link, for paying in the salon */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events: "changed" whenever the appointment's money or link state changes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events: "changed" with the appointment id and reason whenever money or a link of any of the company's appointments changes (the calendar stays live; a client's payment is shown at once) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payment-link/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the payment link by email, SMS or WhatsApp (R36: the approved template message; to the client's address or phone unless `to` is given); `preview` answers the message without sending, also where the channel is not set up on this server (staff copy the text); sending then answers 422 `email_unavailable` / `channel_unavailable` / `whatsapp_unavailable`, and a sender that refuses 502 `email_send_failed` / `sms_send_failed` / `whatsapp_send_failed` with its `gatewayCode`. Past a sending quota (R38: per company, channel and day; per recipient and hour) it answers 429 `send_quota_exceeded` with `quota`, `retryAfter` and `resetsAt`, and sends nothing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        channel: "email" | "sms" | "whatsapp";
                        to?: string;
                        preview?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sent: boolean;
                            /** @enum {string} */
                            channel: "email" | "sms" | "whatsapp";
                            to: string;
                            /** @description email only */
                            subject: string | null;
                            text: string;
                            /** @description email only */
                            html: string | null;
                            sentAt: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            companyLocale: "en" | "ru";
                            placeholders: ("clientFirstName" | "companyName" | "date" | "time" | "staff" | "amount" | "link")[];
                            items: {
                                /** @enum {string} */
                                channel: "email" | "sms" | "whatsapp";
                                /** @enum {string} */
                                kind: "link" | "reminder";
                                /** @enum {string} */
                                locale: "en" | "ru";
                                custom: boolean;
                                /** @description R36: WhatsApp — the text registered with WhatsApp (docs/messaging.md); it cannot be changed here */
                                fixed: boolean;
                                subject: string | null;
                                text: string;
                                updatedAt: string | null;
                                default: {
                                    subject: string | null;
                                    text: string;
                                };
                                segments: {
                                    /** @enum {string} */
                                    encoding: "gsm7" | "ucs2";
                                    units: number;
                                    segments: number;
                                    perSegment: number;
                                } | null;
                            }[];
                            samples: {
                                en: {
                                    email: {
                                        clientFirstName: string;
                                        companyName: string;
                                        date: string;
                                        time: string;
                                        staff: string;
                                        amount: string;
                                        link: string;
                                    };
                                    sms: {
                                        clientFirstName: string;
                                        companyName: string;
                                        date: string;
                                        time: string;
                                        staff: string;
                                        amount: string;
                                        link: string;
                                    };
                                    whatsapp: {
                                        clientFirstName: string;
                                        companyName: string;
                                        date: string;
                                        time: string;
                                        staff: string;
                                        amount: string;
                                        link: string;
                                    };
                                };
                                ru: {
                                    email: {
                                        clientFirstName: string;
                                        companyName: string;
                                        date: string;
                                        time: string;
                                        staff: string;
                                        amount: string;
                                        link: string;
                                    };
                                    sms: {
                                        clientFirstName: string;
                                        companyName: string;
                                        date: string;
                                        time: string;
                                        staff: string;
                                        amount: string;
                                        link: string;
                                    };
                                    whatsapp: {
                                        clientFirstName: string;
                                        companyName: string;
                                        date: string;
                                        time: string;
                                        staff: string;
                                        amount: string;
                                        link: string;
                                    };
                                };
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/messages/{channel}/{kind}/{locale}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** @description Saves the company’s own text. 400 `validation_failed` naming `field` (`subject` or `text`) and `reason`: `required`, `link_missing`, `unknown_placeholder` (with `placeholders`), `stray_brace`, `too_long` (with `max`), `not_allowed`, `foreign_link` (a web address other than {link}) or `link_in_subject`. 422 `template_fixed_by_whatsapp` (field `channel`) for WhatsApp: it sends only the template registered with WhatsApp. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    channel: "email" | "sms" | "whatsapp";
                    /** @description `link`: the message with the payment link; `reminder`: the automatic reminder (R35) */
                    kind: "link" | "reminder";
                    locale: "en" | "ru";
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description email only */
                        subject?: string;
                        /** @description the message with placeholders: {clientFirstName}, {companyName}, {date}, {time}, {staff}, {amount}, {link}; {link} is required */
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            channel: "email" | "sms" | "whatsapp";
                            /** @enum {string} */
                            kind: "link" | "reminder";
                            /** @enum {string} */
                            locale: "en" | "ru";
                            custom: boolean;
                            /** @description R36: WhatsApp — the text registered with WhatsApp (docs/messaging.md); it cannot be changed here */
                            fixed: boolean;
                            subject: string | null;
                            text: string;
                            updatedAt: string | null;
                            default: {
                                subject: string | null;
                                text: string;
                            };
                            segments: {
                                /** @enum {string} */
                                encoding: "gsm7" | "ucs2";
                                units: number;
                                segments: number;
                                perSegment: number;
                            } | null;
                        };
                    };
                };
            };
        };
        post?: never;
        /** @description Reset to default: the company’s own text is deleted; answers the default now in force. 422 `template_fixed_by_whatsapp` for WhatsApp. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    channel: "email" | "sms" | "whatsapp";
                    /** @description `link`: the message with the payment link; `reminder`: the automatic reminder (R35) */
                    kind: "link" | "reminder";
                    locale: "en" | "ru";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            channel: "email" | "sms" | "whatsapp";
                            /** @enum {string} */
                            kind: "link" | "reminder";
                            /** @enum {string} */
                            locale: "en" | "ru";
                            custom: boolean;
                            /** @description R36: WhatsApp — the text registered with WhatsApp (docs/messaging.md); it cannot be changed here */
                            fixed: boolean;
                            subject: string | null;
                            text: string;
                            updatedAt: string | null;
                            default: {
                                subject: string | null;
                                text: string;
                            };
                            segments: {
                                /** @enum {string} */
                                encoding: "gsm7" | "ucs2";
                                units: number;
                                segments: number;
                                perSegment: number;
                            } | null;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/messages/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description The message as the client of the appointment would get it (an example link of a real one’s length; nothing is sent or made). 404 for an appointment of another company. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        channel: "email" | "sms" | "whatsapp";
                        /**
                         * @description `link`: the message with the payment link; `reminder`: the automatic reminder (R35)
                         * @enum {string}
                         */
                        kind: "link" | "reminder";
                        /** @enum {string} */
                        locale: "en" | "ru";
                        appointmentId: string;
                        subject?: string;
                        /** @description an unsaved text to preview; the text in force when left out */
                        text?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            subject: string | null;
                            text: string;
                            html: string | null;
                            segments: {
                                /** @enum {string} */
                                encoding: "gsm7" | "ucs2";
                                units: number;
                                segments: number;
                                perSegment: number;
                            } | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/settings/reminders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            offsets: {
                                /**
                                 * @description after_sending: counted from the send; before_visit: back from the visit
                                 * @enum {string}
                                 */
                                anchor: "after_sending" | "before_visit";
                                minutes: number;
                            }[];
                            maxCount: number;
                            quietHours: {
                                from: string;
                                to: string;
                            };
                        };
                    };
                };
            };
        };
        /** @description R35 automatic reminders of sent, unpaid links (off by default). Fields left out keep their value; `offsets` replaces the list. Times in quiet hours (company zone) move to their end; times after the visit are dropped; at most `maxCount` per send. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        enabled?: boolean;
                        offsets?: {
                            /**
                             * @description after_sending: counted from the send; before_visit: back from the visit
                             * @enum {string}
                             */
                            anchor: "after_sending" | "before_visit";
                            minutes: number;
                        }[];
                        maxCount?: number;
                        quietHours?: {
                            from: string;
                            to: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            offsets: {
                                /**
                                 * @description after_sending: counted from the send; before_visit: back from the visit
                                 * @enum {string}
                                 */
                                anchor: "after_sending" | "before_visit";
                                minutes: number;
                            }[];
                            maxCount: number;
                            quietHours: {
                                from: string;
                                to: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/appointments/{id}/payment-link/reminders/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the automatic reminders (R35) planned for the appointment’s payment link; a new send plans them again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stopped: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pay/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The state of a payment link, for polling */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                url: string;
                                events: string[];
                                description: string | null;
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** @description Adds an endpoint. The answer holds its signing secret, shown this once: each event is POSTed as JSON ({id, type, created, data}) with `Visitpay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` and `Visitpay-Event-Id`; any 2xx answer acknowledges it, anything else is retried with back-off for about three days. The URL must be https:// (events carry amounts and ids) and its host must resolve, now and at every send, to public addresses only: localhost, private, link-local, CGNAT, benchmarking, multicast and reserved ones are refused in every spelling (400, field `url`). Redirects are not followed, and only the status of an answer is recorded, never its body. A server started with VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true (local development) lifts these address rules. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uri
                         * @description where the events are POSTed: an https:// URL of a public address (http:// and private addresses only when VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true)
                         */
                        url: string;
                        /** @description default: all of them */
                        events?: ("payment_link.paid" | "attempt.succeeded" | "refund.created")[];
                        description?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            events: string[];
                            description: string | null;
                            createdAt: string;
                            secret: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/webhook-endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Disables the endpoint: nothing more is sent to it. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/webhook-endpoints/{id}/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Queues a signed `ping` event ({id, type: "ping", created, data: {companyId, endpointId}}) to check the endpoint; it appears among the deliveries. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            eventId: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/webhook-endpoints/{id}/deliveries/{eventId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Sends the event to the endpoint again, with the same id and body (a receiver that dropped repeats by id ignores it). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                    eventId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "pending";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/webhook-endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The latest 100 deliveries to the endpoint, newest first. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                eventId: string;
                                type: string;
                                createdAt: string;
                                /** @enum {string} */
                                status: "pending" | "delivered" | "failed";
                                tries: number;
                                nextTryAt: string | null;
                                deliveredAt: string | null;
                                lastStatus: number | null;
                                lastError: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/companies/{companyId}/backups/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            latest: {
                                at: string;
                                /** @enum {string} */
                                kind: "daily" | "manual";
                                sizeBytes: number;
                            } | null;
                            recent: boolean;
                            dailyBackups: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{provider}/{companyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: string;
                    companyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            received: true;
                            /** @enum {string} */
                            result: "applied" | "duplicate" | "stored" | "ignored";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
