# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
"""openapi.yaml as JSON (for tinker_ext.contract)."""

SPEC_JSON = r"""{
 "openapi": "3.1.0",
 "info": {
  "title": "Tinker API",
  "version": "0.1.0",
  "summary": "HTTP API of Tinker-compatible training and sampling services (JSON wire).",
  "description": "Hand-written contract of the Tinker HTTP API as spoken by the official Python SDK (0.6.3 .. 0.24.1 JSON\nwire, plus the JSON parts of 0.38) and by the skyrl-tx 0.3.0 server. It is the source of truth for\n`generated/tinker_ext_raw` (see `codegen/`).\n\nConventions:\n* Request bodies are sent as the official SDK sends them: fields whose value is `None` are omitted and\n  fields with non-null defaults are always sent. Optional fields are still declared nullable because\n  servers (pydantic/FastAPI) accept an explicit `null`.\n* Long operations answer with an `UntypedAPIFuture`; the result is fetched with `retrieve_future`.\n* Where SDK 0.25+ sends protobuf (`forward_backward` request, `ForwardBackwardOutput`/`SampleResponse`\n  results), the JSON form used by SDK <= 0.24 and JSON servers is described and `application/x-protobuf`\n  is declared as an alternative binary content type.\n* Checkpoint ids of the official service contain a slash (`weights/NAME`), so official checkpoint routes\n  use two path segments `{checkpoint_kind}/{checkpoint_name}`.\n"
 },
 "servers": [
  {
   "url": "https://tinker.thinkingmachines.dev/services/tinker-prod"
  },
  {
   "url": "http://127.0.0.1:8000"
  }
 ],
 "security": [
  {
   "ApiKeyAuth": []
  }
 ],
 "tags": [
  {
   "name": "service",
   "description": "sessions, configuration, health"
  },
  {
   "name": "training",
   "description": "model creation and training steps"
  },
  {
   "name": "sampling",
   "description": "sampling"
  },
  {
   "name": "weights",
   "description": "saving and loading weights"
  },
  {
   "name": "futures",
   "description": "polling long-running operations"
  },
  {
   "name": "rest",
   "description": "training runs, checkpoints and sessions (no futures)"
  },
  {
   "name": "admin",
   "description": "audit log and billing"
  }
 ],
 "paths": {
  "/api/v1/client/config": {
   "post": {
    "operationId": "client_config",
    "x-tinker-ext-read-only": true,
    "tags": [
     "service"
    ],
    "summary": "Server-side feature flags for this client (SDK >= 0.18).",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ClientConfigRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Feature flags; every flag has a default, unknown flags are ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ClientConfigResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/client/dynamic_config": {
   "post": {
    "operationId": "client_dynamic_config",
    "x-tinker-ext-read-only": true,
    "tags": [
     "service"
    ],
    "summary": "Periodically refreshed client settings (404 means defaults).",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ClientConfigRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Dynamic settings.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ClientDynamicConfigResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/auth/token": {
   "post": {
    "operationId": "auth_token",
    "tags": [
     "service"
    ],
    "summary": "Exchange the credential for a short-lived JWT.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/AuthTokenRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The JWT.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AuthTokenResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/auth/apikey/me": {
   "get": {
    "operationId": "get_api_key_info",
    "tags": [
     "service"
    ],
    "summary": "Describe the API key in the X-API-Key header (CLI `auth login`).",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "responses": {
     "200": {
      "description": "The key's metadata.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ApiKeyInfoResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   },
   "delete": {
    "operationId": "delete_api_key",
    "tags": [
     "service"
    ],
    "summary": "Revoke the API key in the X-API-Key header (CLI `auth logout`).",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "responses": {
     "200": {
      "description": "Revoked; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/create_session": {
   "post": {
    "operationId": "create_session",
    "tags": [
     "service"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CreateSessionRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The new session.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CreateSessionResponse"
        }
       }
      }
     },
     "201": {
      "description": "The new session (some servers, e.g. tuft, answer 201 Created; every SDK accepts any 2xx).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CreateSessionResponse"
        }
       }
      },
      "links": {
       "CreateModel": {
        "operationId": "create_model",
        "requestBody": {
         "session_id": "$response.body#/session_id",
         "model_seq_id": 0,
         "base_model": "Qwen/Qwen3-8B",
         "lora_config": {
          "rank": 8
         },
         "type": "create_model"
        }
       },
       "CreateSamplingSession": {
        "operationId": "create_sampling_session",
        "requestBody": {
         "session_id": "$response.body#/session_id",
         "sampling_session_seq_id": 0,
         "base_model": "Qwen/Qwen3-8B",
         "type": "create_sampling_session"
        }
       },
       "SessionHeartbeat": {
        "operationId": "session_heartbeat",
        "requestBody": {
         "session_id": "$response.body#/session_id",
         "type": "session_heartbeat"
        }
       },
       "GetSession": {
        "operationId": "get_session",
        "parameters": {
         "session_id": "$response.body#/session_id"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/session_heartbeat": {
   "post": {
    "operationId": "session_heartbeat",
    "x-tinker-ext-read-only": true,
    "tags": [
     "service"
    ],
    "description": "Sent every 10 s; 410 means the session is finished.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SessionHeartbeatRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Alive.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SessionHeartbeatResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/sessions/{session_id}/finish": {
   "post": {
    "operationId": "finish_session",
    "x-tinker-ext-idempotent": true,
    "tags": [
     "service"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/SessionId"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/FinishSessionRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Finished; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/create_sampling_session": {
   "post": {
    "operationId": "create_sampling_session",
    "tags": [
     "service"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CreateSamplingSessionRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The new sampling session.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CreateSamplingSessionResponse"
        }
       }
      },
      "links": {
       "Asample": {
        "operationId": "asample",
        "requestBody": {
         "sampling_session_id": "$response.body#/sampling_session_id",
         "seq_id": 0,
         "num_samples": 1,
         "prompt": {
          "chunks": [
           {
            "type": "encoded_text",
            "tokens": [
             1,
             2,
             3
            ]
           }
          ]
         },
         "sampling_params": {
          "max_tokens": 4
         },
         "type": "sample"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/join_sampling_session": {
   "post": {
    "operationId": "join_sampling_session",
    "tags": [
     "service"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/JoinSamplingSessionRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "A server-allocated clone counter.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JoinSamplingSessionResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/healthz": {
   "get": {
    "operationId": "healthz",
    "tags": [
     "service"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "responses": {
     "200": {
      "description": "Healthy.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HealthResponse"
        }
       }
      }
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/get_server_capabilities": {
   "get": {
    "operationId": "get_server_capabilities",
    "tags": [
     "service"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "responses": {
     "200": {
      "description": "Models this server supports.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/GetServerCapabilitiesResponse"
        }
       }
      }
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/telemetry": {
   "post": {
    "operationId": "send_telemetry",
    "tags": [
     "service"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/TelemetrySendRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Accepted.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TelemetryResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/create_model": {
   "post": {
    "operationId": "create_model",
    "x-tinker-ext-future": "CreateModelResponse",
    "tags": [
     "training"
    ],
    "description": "Creates a LoRA training model; the future resolves to `CreateModelResponse`.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CreateModelRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `CreateModelResponse`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       },
       "ForwardBackward": {
        "operationId": "forward_backward",
        "requestBody": {
         "model_id": "$response.body#/model_id",
         "seq_id": 1,
         "forward_backward_input": {
          "loss_fn": "cross_entropy",
          "data": [
           {
            "model_input": {
             "chunks": [
              {
               "type": "encoded_text",
               "tokens": [
                1,
                2,
                3
               ]
              }
             ]
            },
            "loss_fn_inputs": {
             "target_tokens": {
              "data": [
               2,
               3,
               4
              ],
              "dtype": "int64"
             },
             "weights": {
              "data": [
               1.0,
               1.0,
               1.0
              ],
              "dtype": "float32"
             }
            }
           }
          ]
         }
        }
       },
       "OptimStep": {
        "operationId": "optim_step",
        "requestBody": {
         "model_id": "$response.body#/model_id",
         "seq_id": 2,
         "adam_params": {
          "learning_rate": 0.0001
         },
         "type": "optim_step"
        }
       },
       "GetInfo": {
        "operationId": "get_info",
        "requestBody": {
         "model_id": "$response.body#/model_id",
         "type": "get_info"
        }
       },
       "GetTrainingRun": {
        "operationId": "get_training_run",
        "parameters": {
         "training_run_id": "$response.body#/model_id"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/get_info": {
   "post": {
    "operationId": "get_info",
    "x-tinker-ext-read-only": true,
    "tags": [
     "training"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/GetInfoRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Model information (synchronous).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/GetInfoResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/forward_backward": {
   "post": {
    "operationId": "forward_backward",
    "x-tinker-ext-future": "ForwardBackwardOutput",
    "tags": [
     "training"
    ],
    "description": "Forward and backward pass; the future resolves to `ForwardBackwardOutput`. JSON body as sent by SDK\n<= 0.22.2 (and by 0.24 unless the server enables protobuf), skyrl-tx and tinkex. SDK >= 0.25 sends a\nprotobuf `tinker_public.ForwardBackwardRequest` (optionally `Content-Encoding: zstd`), with\n`forward_only: true` for forward passes. A server that takes only one of the two answers the other\nwith 415 (skyrl 0.4.0 and tuft refuse JSON), before applying anything.\n",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ForwardBackwardRequest"
       }
      },
      "application/x-protobuf": {
       "schema": {
        "$ref": "#/components/schemas/ProtobufBody"
       },
       "x-protobuf-message": "tinker_public.ForwardBackwardRequest"
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `ForwardBackwardOutput`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/forward": {
   "post": {
    "operationId": "forward",
    "x-tinker-ext-future": "ForwardBackwardOutput",
    "tags": [
     "training"
    ],
    "deprecated": true,
    "description": "Legacy forward-only pass (SDK <= 0.24, skyrl-tx, tinkex); note the body key `forward_input`.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ForwardRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `ForwardBackwardOutput`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/optim_step": {
   "post": {
    "operationId": "optim_step",
    "x-tinker-ext-future": "OptimStepResponse",
    "tags": [
     "training"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/OptimStepRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of an `OptimStepResponse`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/unload_model": {
   "post": {
    "operationId": "unload_model",
    "x-tinker-ext-future": "UnloadModelResponse",
    "tags": [
     "training"
    ],
    "deprecated": true,
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/UnloadModelRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of an `UnloadModelResponse`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/create_custom_loss": {
   "post": {
    "operationId": "create_custom_loss",
    "x-tinker-ext-future": "CreateCustomLossResponse",
    "tags": [
     "training"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CreateCustomLossRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `CreateCustomLossResponse`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/asample": {
   "post": {
    "operationId": "asample",
    "x-tinker-ext-future": "SampleResponse",
    "tags": [
     "sampling"
    ],
    "description": "Asynchronous sampling; the future resolves to `SampleResponse` (JSON for SDK <= 0.24).",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "X-Tinker-Sampling-Backpressure",
      "in": "header",
      "required": false,
      "description": "`1` asks the server to answer 429 instead of queuing.",
      "schema": {
       "type": "string",
       "enum": [
        "1"
       ]
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SampleRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `SampleResponse`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/sample": {
   "post": {
    "operationId": "sample",
    "tags": [
     "sampling"
    ],
    "deprecated": true,
    "description": "Synchronous sampling of SDK 0.1.x.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SampleRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The samples.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SampleResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/save_weights": {
   "post": {
    "operationId": "save_weights",
    "x-tinker-ext-future": "SaveWeightsResponse",
    "tags": [
     "weights"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SaveWeightsRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `SaveWeightsResponse`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/save_weights_for_sampler": {
   "post": {
    "operationId": "save_weights_for_sampler",
    "x-tinker-ext-future": "SaveWeightsForSamplerResponseInternal",
    "tags": [
     "weights"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SaveWeightsForSamplerRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `SaveWeightsForSamplerResponseInternal`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/save_weights_external": {
   "post": {
    "operationId": "save_weights_external",
    "x-tinker-ext-future": "SaveWeightsExternalResponse",
    "tags": [
     "weights"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SaveWeightsExternalRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `SaveWeightsExternalResponseInternal`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/load_weights": {
   "post": {
    "operationId": "load_weights",
    "x-tinker-ext-future": "LoadWeightsResponse",
    "tags": [
     "weights"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/LoadWeightsRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Future of a `LoadWeightsResponse`.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UntypedAPIFuture"
        }
       }
      },
      "links": {
       "RetrieveFuture": {
        "operationId": "retrieve_future",
        "requestBody": {
         "request_id": "$response.body#/request_id",
         "allow_metadata_only": false
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/weights_info": {
   "post": {
    "operationId": "get_weights_info",
    "x-tinker-ext-read-only": true,
    "tags": [
     "weights"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/WeightsInfoRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "What the checkpoint holds.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/WeightsInfoResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/copy_weights": {
   "post": {
    "operationId": "copy_weights",
    "tags": [
     "weights"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "X-Idempotency-Key",
      "in": "header",
      "required": false,
      "description": "Same key for every retry of one copy.",
      "schema": {
       "type": "string",
       "maxLength": 255
      }
     },
     {
      "name": "X-Tinker-Weights-Access-Token",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CopyWeightsRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The copy (synchronous).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CopyWeightsResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/retrieve_future": {
   "post": {
    "operationId": "retrieve_future",
    "x-tinker-ext-read-only": true,
    "tags": [
     "futures"
    ],
    "description": "Long-polls one future. How a client classifies an HTTP 200 body, in this order:\n1. `Content-Type` contains `application/x-protobuf`: a protobuf `ForwardBackwardOutput` or\n   `SampleResponse` (SDK >= 0.25 asks for it with `Accept: application/x-protobuf`).\n2. JSON with `\"type\": \"try_again\"`: `TryAgainResponse`, poll again at once.\n3. JSON with `\"status\": \"complete_metadata\"`: `FutureMetadataOnlyResponse`, poll again with\n   `allow_metadata_only: false`.\n4. JSON containing the key `\"error\"`: `RequestFailedResponse` (not retried).\n5. Any other JSON object: the completed result, typed by the operation that created the future\n   (`CreateModelResponse`, `ForwardBackwardOutput`, `OptimStepResponse`, `SaveWeightsResponse`,\n   `SaveWeightsForSamplerResponseInternal`, `SaveWeightsExternalResponseInternal`, `LoadWeightsResponse`,\n   `UnloadModelResponse`, `CreateCustomLossResponse`, `SampleResponse`). Result bodies usually carry\n   no `type` tag, so they cannot be told apart from the body alone.\nTransport-level: 408 = poll again (skyrl-tx after 300 s), 410 = promise expired, skyrl-tx reports a\nfailed request as 400/500 `{\"detail\": ...}`.\n",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "X-Tinker-Request-Iteration",
      "in": "header",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 0
      }
     },
     {
      "name": "X-Tinker-Request-Type",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/FutureRetrieveRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "A try-again notice, metadata, a failure, or the result.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FutureRetrieveResponse"
        }
       },
       "application/x-protobuf": {
        "schema": {
         "$ref": "#/components/schemas/ProtobufBody"
        },
        "x-protobuf-message": [
         "tinker_public.ForwardBackwardOutput",
         "tinker_public.SampleResponse"
        ]
       }
      }
     },
     "408": {
      "description": "Not done yet; poll again. May carry a try-again-like body.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorResponse"
        }
       }
      }
     },
     "410": {
      "description": "Promise expired or broken.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/retrieve_futures": {
   "post": {
    "operationId": "retrieve_futures",
    "x-tinker-ext-read-only": true,
    "tags": [
     "futures"
    ],
    "description": "Session-wide long-poll of sampling futures (SDK 0.38, behind a server flag).",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/FuturesRetrieveRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Completions since the cursor.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FuturesRetrieveResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/cancel_future": {
   "post": {
    "operationId": "cancel_future",
    "tags": [
     "futures"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CancelFutureRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Cancelled; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs": {
   "get": {
    "operationId": "list_training_runs",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/Limit20"
     },
     {
      "$ref": "#/components/parameters/Offset"
     },
     {
      "$ref": "#/components/parameters/AccessScope"
     },
     {
      "name": "project_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "A page of training runs.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TrainingRunsResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}": {
   "get": {
    "operationId": "get_training_run",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/AccessScope"
     }
    ],
    "responses": {
     "200": {
      "description": "The training run.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TrainingRun"
        }
       }
      },
      "links": {
       "ListCheckpoints": {
        "operationId": "list_checkpoints",
        "parameters": {
         "training_run_id": "$response.body#/training_run_id"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints": {
   "get": {
    "operationId": "list_checkpoints",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     }
    ],
    "responses": {
     "200": {
      "description": "The run's checkpoints.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CheckpointsListResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/models/{training_run_id}/checkpoints": {
   "get": {
    "operationId": "list_model_checkpoints",
    "tags": [
     "rest"
    ],
    "deprecated": true,
    "description": "Alias of `list_checkpoints` (SDK 0.1.x-0.3.x; kept by skyrl-tx).",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     }
    ],
    "responses": {
     "200": {
      "description": "The run's checkpoints.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CheckpointsListResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}": {
   "delete": {
    "operationId": "delete_checkpoint",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/CheckpointKind"
     },
     {
      "$ref": "#/components/parameters/CheckpointName"
     }
    ],
    "responses": {
     "200": {
      "description": "Deleted; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "204": {
      "description": "Deleted, no body (skyrl 0.4.0); the SDKs ignore the body of any 2xx."
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/publish": {
   "post": {
    "operationId": "publish_checkpoint",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/CheckpointKind"
     },
     {
      "$ref": "#/components/parameters/CheckpointName"
     }
    ],
    "responses": {
     "200": {
      "description": "Published; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   },
   "delete": {
    "operationId": "unpublish_checkpoint",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/CheckpointKind"
     },
     {
      "$ref": "#/components/parameters/CheckpointName"
     }
    ],
    "responses": {
     "200": {
      "description": "Unpublished; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/ttl": {
   "put": {
    "operationId": "set_checkpoint_ttl",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/CheckpointKind"
     },
     {
      "$ref": "#/components/parameters/CheckpointName"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SetCheckpointTtlRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Updated; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/external_weights_urls": {
   "get": {
    "operationId": "get_external_weights_urls",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/CheckpointKind"
     },
     {
      "$ref": "#/components/parameters/CheckpointName"
     }
    ],
    "responses": {
     "200": {
      "description": "Signed URLs of the exported files.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ExternalWeightsUrlsResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}/archive": {
   "get": {
    "operationId": "get_checkpoint_archive_url",
    "tags": [
     "rest"
    ],
    "deprecated": true,
    "description": "Signed URL of a tar archive of the checkpoint (SDK <= 0.25). Send `Accept: application/json` and do\nnot follow redirects: the answer is a 302 (`Location` = URL, `Expires` = HTTP date) or 200 JSON.\n503 means the archive is still being built: wait 30 s and retry.\n",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/CheckpointKind"
     },
     {
      "$ref": "#/components/parameters/CheckpointName"
     }
    ],
    "responses": {
     "200": {
      "description": "The URL as JSON.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CheckpointArchiveUrlResponse"
        }
       }
      }
     },
     "302": {
      "$ref": "#/components/responses/ArchiveRedirect"
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_id}/archive": {
   "get": {
    "operationId": "get_checkpoint_archive_url_by_id",
    "tags": [
     "rest"
    ],
    "deprecated": true,
    "description": "skyrl-tx form of `get_checkpoint_archive_url`, whose checkpoint ids have no kind prefix.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/FlatCheckpointId"
     }
    ],
    "responses": {
     "200": {
      "description": "The URL as JSON.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CheckpointArchiveUrlResponse"
        }
       }
      }
     },
     "302": {
      "$ref": "#/components/responses/ArchiveRedirect"
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_id}/download": {
   "get": {
    "operationId": "download_checkpoint_archive",
    "tags": [
     "rest"
    ],
    "description": "skyrl-tx only; target of its archive redirect. Streams a tar.gz.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/TrainingRunId"
     },
     {
      "$ref": "#/components/parameters/FlatCheckpointId"
     }
    ],
    "responses": {
     "200": {
      "description": "The archive bytes.",
      "content": {
       "application/octet-stream": {
        "schema": {
         "type": "string",
         "format": "binary"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/checkpoints": {
   "get": {
    "operationId": "list_user_checkpoints",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "default": 100,
       "minimum": 0
      }
     },
     {
      "$ref": "#/components/parameters/Offset"
     }
    ],
    "responses": {
     "200": {
      "description": "The caller's checkpoints, newest first.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CheckpointsListResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/sessions": {
   "get": {
    "operationId": "list_sessions",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/Limit20"
     },
     {
      "$ref": "#/components/parameters/Offset"
     },
     {
      "$ref": "#/components/parameters/AccessScope"
     }
    ],
    "responses": {
     "200": {
      "description": "Session ids.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ListSessionsResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/sessions/search": {
   "post": {
    "operationId": "search_sessions",
    "x-tinker-ext-read-only": true,
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SessionSearchRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Matching sessions.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SessionSearchResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/sessions/{session_id}": {
   "get": {
    "operationId": "get_session",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/SessionId"
     },
     {
      "$ref": "#/components/parameters/AccessScope"
     }
    ],
    "responses": {
     "200": {
      "description": "The session's runs and samplers.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/GetSessionResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/sessions/{session_id}/project": {
   "put": {
    "operationId": "assign_session_project",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/SessionId"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/AssignSessionProjectRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Assigned; the body is ignored.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EmptyResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/sessions/{session_id}/trace_export": {
   "get": {
    "operationId": "export_session_trace",
    "tags": [
     "rest"
    ],
    "description": "Polled every 5 s until `ready` or `failed`.",
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/SessionId"
     }
    ],
    "responses": {
     "200": {
      "description": "Export state.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TraceExportResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/samplers/{sampler_id}": {
   "get": {
    "operationId": "get_sampler",
    "tags": [
     "rest"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "sampler_id",
      "in": "path",
      "required": true,
      "description": "e.g. `{session_id}:sample:{n}` (may contain colons).",
      "schema": {
       "type": "string",
       "minLength": 1
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The sampler.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/GetSamplerResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/audit": {
   "get": {
    "operationId": "get_audit_log",
    "tags": [
     "admin"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "event_type",
      "in": "query",
      "required": false,
      "schema": {
       "$ref": "#/components/schemas/AuditEventType"
      }
     },
     {
      "name": "day",
      "in": "query",
      "required": false,
      "description": "ISO date (UTC day).",
      "schema": {
       "type": "string",
       "format": "date"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Audit entries.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AuditLogResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/billing/usage/events": {
   "get": {
    "operationId": "get_billing_usage",
    "tags": [
     "admin"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "starting_on",
      "in": "query",
      "required": true,
      "description": "RFC 3339, hour aligned.",
      "schema": {
       "type": "string",
       "format": "date-time"
      }
     },
     {
      "name": "ending_before",
      "in": "query",
      "required": true,
      "description": "RFC 3339, hour aligned, at most 14 days after `starting_on`.",
      "schema": {
       "type": "string",
       "format": "date-time"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Hourly usage.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BillingUsageResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/billing/usage/checkpoints/current": {
   "get": {
    "operationId": "get_current_checkpoint_storage_usage",
    "tags": [
     "admin"
    ],
    "security": [
     {
      "ApiKeyAuth": []
     }
    ],
    "parameters": [
     {
      "name": "project_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Current checkpoint storage.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CurrentCheckpointStorageUsageResponse"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "4XX": {
      "$ref": "#/components/responses/ClientError"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "ApiKeyAuth": {
    "type": "apiKey",
    "in": "header",
    "name": "X-API-Key",
    "description": "API key (`tml-...`) or JWT."
   }
  },
  "parameters": {
   "SessionId": {
    "name": "session_id",
    "in": "path",
    "required": true,
    "schema": {
     "type": "string",
     "minLength": 1
    }
   },
   "TrainingRunId": {
    "name": "training_run_id",
    "in": "path",
    "required": true,
    "description": "Training run (model) id; official ids may contain colons.",
    "schema": {
     "type": "string",
     "minLength": 1
    }
   },
   "CheckpointKind": {
    "name": "checkpoint_kind",
    "in": "path",
    "required": true,
    "description": "First segment of the official checkpoint id (`weights/NAME`).",
    "schema": {
     "$ref": "#/components/schemas/CheckpointKind"
    }
   },
   "CheckpointName": {
    "name": "checkpoint_name",
    "in": "path",
    "required": true,
    "schema": {
     "type": "string",
     "minLength": 1
    }
   },
   "FlatCheckpointId": {
    "name": "checkpoint_id",
    "in": "path",
    "required": true,
    "description": "skyrl-tx checkpoint id (no kind prefix).",
    "schema": {
     "type": "string",
     "pattern": "^[a-zA-Z0-9_-]+$",
     "maxLength": 255
    }
   },
   "Limit20": {
    "name": "limit",
    "in": "query",
    "required": false,
    "schema": {
     "type": "integer",
     "default": 20,
     "minimum": 0
    }
   },
   "Offset": {
    "name": "offset",
    "in": "query",
    "required": false,
    "schema": {
     "type": "integer",
     "default": 0,
     "minimum": 0
    }
   },
   "AccessScope": {
    "name": "access_scope",
    "in": "query",
    "required": false,
    "schema": {
     "$ref": "#/components/schemas/AccessScope"
    }
   }
  },
  "responses": {
   "ClientError": {
    "description": "Client error (JSON error body).",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/ErrorResponse"
      }
     }
    }
   },
   "ServerError": {
    "description": "Server error (JSON error body).",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/ErrorResponse"
      }
     }
    }
   },
   "ValidationFailed": {
    "description": "Request validation failed (FastAPI servers such as skyrl-tx).",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/HTTPValidationError"
      }
     }
    }
   },
   "ArchiveRedirect": {
    "description": "Redirect to the signed archive URL.",
    "headers": {
     "Location": {
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     "Expires": {
      "required": false,
      "description": "HTTP date; default now + 15 min.",
      "schema": {
       "type": "string"
      }
     }
    }
   }
  },
  "schemas": {
   "ErrorResponse": {
    "type": "object",
    "description": "Error body. FastAPI servers (skyrl-tx) send `{\"detail\": ...}`; other servers may send `error` or\n`message`. Unknown keys are kept.\n",
    "properties": {
     "detail": {
      "description": "FastAPI error detail (a string, or a list of validation errors)."
     },
     "error": {
      "type": "string"
     },
     "message": {
      "type": "string"
     }
    }
   },
   "HTTPValidationError": {
    "type": "object",
    "properties": {
     "detail": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ValidationErrorItem"
      }
     }
    }
   },
   "ValidationErrorItem": {
    "type": "object",
    "required": [
     "loc",
     "msg",
     "type"
    ],
    "properties": {
     "loc": {
      "type": "array",
      "items": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "integer"
        }
       ]
      }
     },
     "msg": {
      "type": "string"
     },
     "type": {
      "type": "string"
     }
    }
   },
   "EmptyResponse": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "description": "A body the client ignores."
   },
   "ProtobufBody": {
    "type": "string",
    "format": "binary",
    "description": "Serialized `tinker_public` protobuf message (optionally zstd-compressed on requests, with\n`Content-Encoding: zstd`). The messages are defined in `tinker_public.proto` beside this file; each\nuse names its message in `x-protobuf-message`.\n"
   },
   "UserMetadata": {
    "type": "object",
    "description": "Free-form JSON metadata.",
    "additionalProperties": true
   },
   "StringMetadata": {
    "type": "object",
    "additionalProperties": {
     "type": "string"
    }
   },
   "Metrics": {
    "type": "object",
    "description": "Metric values keyed `name:reduction` (reduction = mean, sum, min, max, slack, hash2, unique).",
    "additionalProperties": {
     "type": "number"
    }
   },
   "LossFnConfig": {
    "type": "object",
    "description": "Loss function parameters (e.g. PPO clip thresholds); numbers (strings since 0.38).",
    "additionalProperties": {
     "anyOf": [
      {
       "type": "number"
      },
      {
       "type": "string"
      }
     ]
    }
   },
   "LossFnInputs": {
    "type": "object",
    "description": "Loss function inputs by name (`target_tokens`, `weights`, `advantages`, `logprobs`, ...).",
    "additionalProperties": {
     "$ref": "#/components/schemas/TensorData"
    }
   },
   "LossFnOutput": {
    "type": "object",
    "description": "Per-datum loss function outputs by name (e.g. `logprobs`, `elementwise_loss`).",
    "additionalProperties": {
     "$ref": "#/components/schemas/TensorData"
    }
   },
   "ModelInput": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "model_input:ModelInputBehaviour",
    "type": "object",
    "required": [
     "chunks"
    ],
    "properties": {
     "chunks": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ModelInputChunk"
      }
     }
    }
   },
   "ModelInputChunk": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/EncodedTextChunk"
     },
     {
      "$ref": "#/components/schemas/ImageAssetPointerChunk"
     },
     {
      "$ref": "#/components/schemas/ImageChunk"
     },
     {
      "$ref": "#/components/schemas/DmelChunk"
     }
    ],
    "discriminator": {
     "propertyName": "type",
     "mapping": {
      "encoded_text": "#/components/schemas/EncodedTextChunk",
      "image_asset_pointer": "#/components/schemas/ImageAssetPointerChunk",
      "image": "#/components/schemas/ImageChunk",
      "dmel": "#/components/schemas/DmelChunk"
     }
    }
   },
   "EncodedTextChunk": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "model_input:EncodedTextChunkBehaviour",
    "type": "object",
    "required": [
     "tokens",
     "type"
    ],
    "properties": {
     "tokens": {
      "type": "array",
      "items": {
       "type": "integer"
      },
      "x-tinker-ext-kind": "model_input:Tokens"
     },
     "type": {
      "type": "string",
      "const": "encoded_text",
      "default": "encoded_text"
     }
    }
   },
   "ImageFormat": {
    "type": "string",
    "enum": [
     "png",
     "jpeg"
    ]
   },
   "ImageChunk": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "model_input:ImageChunkBehaviour",
    "type": "object",
    "required": [
     "data",
     "format",
     "type"
    ],
    "properties": {
     "data": {
      "type": "string",
      "format": "byte",
      "description": "Image bytes, base64 encoded."
     },
     "format": {
      "$ref": "#/components/schemas/ImageFormat"
     },
     "expected_tokens": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0,
      "description": "Advisory token count; the server may fail fast on a mismatch."
     },
     "type": {
      "type": "string",
      "const": "image",
      "default": "image"
     }
    }
   },
   "ImageAssetPointerChunk": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "model_input:ImageAssetPointerChunkBehaviour",
    "type": "object",
    "required": [
     "format",
     "location",
     "type"
    ],
    "properties": {
     "format": {
      "$ref": "#/components/schemas/ImageFormat"
     },
     "location": {
      "type": "string",
      "description": "Path or URL of the image asset."
     },
     "expected_tokens": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "type": {
      "type": "string",
      "const": "image_asset_pointer",
      "default": "image_asset_pointer"
     }
    }
   },
   "DmelChunk": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "model_input:DmelChunkBehaviour",
    "type": "object",
    "required": [
     "dmel",
     "type"
    ],
    "properties": {
     "dmel": {
      "type": "string",
      "format": "byte",
      "description": "Serialized TensorContainer bytes (DMel audio tokens), base64 encoded."
     },
     "type": {
      "type": "string",
      "const": "dmel",
      "default": "dmel"
     }
    }
   },
   "TensorDtype": {
    "type": "string",
    "enum": [
     "int64",
     "float32"
    ]
   },
   "TensorData": {
    "x-tinker-ext-public": "dataclass",
    "x-tinker-ext-behaviour": "tensor_data:TensorDataBehaviour",
    "x-tinker-ext-dataclass": {
     "init": false,
     "eq": false,
     "repr": false
    },
    "type": "object",
    "description": "An int64/float32 tensor (numpy-backed; equality and hash by identity, as 0.38).",
    "required": [
     "data",
     "dtype"
    ],
    "properties": {
     "data": {
      "description": "Flattened row-major values (only the stored values when sparse).",
      "x-tinker-ext-field": false,
      "x-tinker-ext-kind": "tensor_data:Values",
      "anyOf": [
       {
        "type": "array",
        "items": {
         "type": "integer"
        }
       },
       {
        "type": "array",
        "items": {
         "type": "number"
        }
       }
      ]
     },
     "dtype": {
      "$ref": "#/components/schemas/TensorDtype"
     },
     "shape": {
      "type": [
       "array",
       "null"
      ],
      "items": {
       "type": "integer",
       "minimum": 0
      }
     },
     "sparse_crow_indices": {
      "type": [
       "array",
       "null"
      ],
      "description": "CSR row pointers (length nrows + 1).",
      "items": {
       "type": "integer",
       "minimum": 0
      }
     },
     "sparse_col_indices": {
      "type": [
       "array",
       "null"
      ],
      "description": "CSR column indices (length nnz); set together with sparse_crow_indices.",
      "items": {
       "type": "integer",
       "minimum": 0
      }
     }
    }
   },
   "Datum": {
    "x-tinker-ext-public": "dataclass",
    "x-tinker-ext-behaviour": "datum:DatumBehaviour",
    "type": "object",
    "description": "One training example: the model input and its loss function inputs by name.",
    "required": [
     "loss_fn_inputs",
     "model_input"
    ],
    "properties": {
     "loss_fn_inputs": {
      "$ref": "#/components/schemas/LossFnInputs",
      "x-tinker-ext-default": {}
     },
     "model_input": {
      "$ref": "#/components/schemas/ModelInput"
     },
     "model_input_spans": {
      "description": "Provenance of the input tokens (client-side; only the protobuf body of 0.38 carries it).",
      "x-tinker-ext-wire": false,
      "type": [
       "array",
       "null"
      ],
      "items": {
       "$ref": "#/components/schemas/ProvenanceSpan"
      }
     },
     "loss_fn_input_spans": {
      "description": "Provenance of the loss rows (client-side; set together with model_input_spans).",
      "x-tinker-ext-wire": false,
      "type": [
       "array",
       "null"
      ],
      "items": {
       "$ref": "#/components/schemas/ProvenanceSpan"
      }
     }
    }
   },
   "ProvenanceSpan": {
    "description": "Client-side provenance of a run of datum positions (never in a JSON body).",
    "oneOf": [
     {
      "$ref": "#/components/schemas/PromptProvenanceSpan"
     },
     {
      "$ref": "#/components/schemas/SampledProvenanceSpan"
     }
    ]
   },
   "PromptProvenanceSpan": {
    "x-tinker-ext-public": "dataclass",
    "x-tinker-ext-kw-only": true,
    "x-tinker-ext-behaviour": "provenance:SpanBehaviour",
    "type": "object",
    "description": "Positions `[offset, offset + length)` of the named sequence's request prompt.",
    "required": [
     "sequence_id",
     "length"
    ],
    "properties": {
     "sequence_id": {
      "type": "string"
     },
     "offset": {
      "type": "integer",
      "default": 0
     },
     "length": {
      "type": "integer"
     }
    }
   },
   "SampledProvenanceSpan": {
    "x-tinker-ext-public": "dataclass",
    "x-tinker-ext-kw-only": true,
    "x-tinker-ext-behaviour": "provenance:SpanBehaviour",
    "type": "object",
    "description": "Positions `[offset, offset + length)` of the named sequence's sampled tokens.",
    "required": [
     "sequence_id",
     "length"
    ],
    "properties": {
     "sequence_id": {
      "type": "string"
     },
     "offset": {
      "type": "integer",
      "default": 0
     },
     "length": {
      "type": "integer"
     }
    }
   },
   "LossFnType": {
    "type": "string",
    "enum": [
     "cross_entropy",
     "importance_sampling",
     "ppo",
     "cispo",
     "dro",
     "gspo",
     "stable_reinforce",
     "custom"
    ]
   },
   "ForwardBackwardInput": {
    "x-tinker-ext-public": "dataclass",
    "type": "object",
    "required": [
     "data",
     "loss_fn"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Datum"
      }
     },
     "loss_fn": {
      "$ref": "#/components/schemas/LossFnType"
     },
     "loss_fn_config": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/LossFnConfig"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "ForwardBackwardRequest": {
    "x-tinker-ext-public": "dataclass",
    "type": "object",
    "required": [
     "forward_backward_input",
     "model_id"
    ],
    "properties": {
     "forward_backward_input": {
      "$ref": "#/components/schemas/ForwardBackwardInput"
     },
     "model_id": {
      "type": "string"
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     }
    }
   },
   "ForwardRequest": {
    "x-tinker-ext-public": "dataclass",
    "type": "object",
    "required": [
     "forward_input",
     "model_id"
    ],
    "properties": {
     "forward_input": {
      "$ref": "#/components/schemas/ForwardBackwardInput"
     },
     "model_id": {
      "type": "string"
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     }
    }
   },
   "ForwardBackwardOutput": {
    "x-tinker-ext-public": "dataclass",
    "x-tinker-ext-behaviour": "outputs:ForwardBackwardOutputBehaviour",
    "type": "object",
    "description": "JSON form of the forward/backward result (SDK <= 0.24, JSON servers).",
    "required": [
     "loss_fn_output_type",
     "loss_fn_outputs",
     "metrics"
    ],
    "properties": {
     "loss_fn_output_type": {
      "type": "string",
      "description": "Class name of the per-datum records, e.g. `ArrayRecord`, `TorchLossReturn`."
     },
     "loss_fn_outputs": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/LossFnOutput"
      }
     },
     "metrics": {
      "$ref": "#/components/schemas/Metrics",
      "x-tinker-ext-default": {}
     }
    }
   },
   "AdamParams": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "optim:AdamParamsBehaviour",
    "properties": {
     "learning_rate": {
      "type": "number",
      "default": 0.0001,
      "minimum": 0
     },
     "beta1": {
      "type": "number",
      "default": 0.9,
      "minimum": 0,
      "exclusiveMaximum": 1
     },
     "beta2": {
      "type": "number",
      "default": 0.95,
      "minimum": 0,
      "exclusiveMaximum": 1
     },
     "eps": {
      "type": "number",
      "default": 1e-12,
      "exclusiveMinimum": 0
     },
     "weight_decay": {
      "type": "number",
      "default": 0.0,
      "minimum": 0
     },
     "grad_clip_norm": {
      "type": "number",
      "default": 0.0,
      "minimum": 0,
      "description": "0 disables clipping."
     }
    }
   },
   "DimuonParams": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-family": "OptimizerParams",
    "x-tinker-ext-behaviour": "optim:DimuonParamsBehaviour",
    "description": "Dimuon hyper-parameters (SDK 0.38), sent as the `optimizer_params` of optim_step (an OptimizerParams); the model must have been created with `optimizer=DimuonOptimizerConfig()`.",
    "required": [
     "type",
     "learning_rate"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "dimuon",
      "default": "dimuon"
     },
     "learning_rate": {
      "type": "number",
      "minimum": 0
     },
     "grad_clip_norm": {
      "type": "number",
      "default": 0.0,
      "description": "Maximum global gradient norm; nonpositive disables clipping."
     },
     "beta1": {
      "type": "number",
      "default": 0.9,
      "minimum": 0,
      "exclusiveMaximum": 1
     }
    }
   },
   "AdamOptimizerConfig": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-family": "OptimizerConfig",
    "description": "The AdamW optimizer at model creation (an OptimizerConfig; SDK 0.38).",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "adamw",
      "default": "adamw"
     }
    }
   },
   "DimuonOptimizerConfig": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-family": "OptimizerConfig",
    "description": "The Dimuon optimizer at model creation (an OptimizerConfig; SDK 0.38 sends version 1).",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "dimuon",
      "default": "dimuon"
     },
     "version": {
      "type": "integer",
      "default": 1
     }
    }
   },
   "OptimizerParams": {
    "type": "object",
    "x-tinker-ext-public": "open",
    "x-tinker-ext-public-name": "OptimParamsBase",
    "x-tinker-ext-parsed-as": [],
    "description": "Per-step parameters of a non-Adam optimizer family (SDK 0.38), tagged by `type` (e.g. `dimuon`); the family's own fields sit flat next to `type`.",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string"
     },
     "learning_rate": {
      "type": "number",
      "minimum": 0,
      "x-tinker-ext-extra": true
     },
     "beta1": {
      "type": "number",
      "minimum": 0,
      "exclusiveMaximum": 1,
      "description": "Momentum EMA coefficient (dimuon; the SDK sends 0.9 when unset).",
      "x-tinker-ext-extra": true
     },
     "grad_clip_norm": {
      "type": "number",
      "description": "Maximum global gradient norm; nonpositive disables clipping (dimuon; SDK default 0.0).",
      "x-tinker-ext-extra": true
     }
    },
    "additionalProperties": true
   },
   "OptimStepRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "description": "Exactly one of `adam_params` (Adam) or `optimizer_params` (other families, SDK 0.38).",
    "x-tinker-ext-keyed": {
     "optim_params": {
      "keys": [
       "adam_params",
       "optimizer_params"
      ],
      "required": true,
      "description": "The step's optimizer parameters, sent as `adam_params` for AdamParams and as `optimizer_params` for any other family (0.38); `adam_params=` / `optimizer_params=` are accepted as its names."
     }
    },
    "required": [
     "model_id"
    ],
    "properties": {
     "adam_params": {
      "$ref": "#/components/schemas/AdamParams"
     },
     "optimizer_params": {
      "$ref": "#/components/schemas/OptimizerParams"
     },
     "model_id": {
      "type": "string"
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "type": {
      "type": "string",
      "const": "optim_step",
      "default": "optim_step"
     }
    }
   },
   "OptimStepResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "metrics": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/Metrics"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "OptimizerConfig": {
    "type": "object",
    "x-tinker-ext-public": "open",
    "x-tinker-ext-public-name": "OptimizerConfigBase",
    "x-tinker-ext-parsed-as": [
     "AdamOptimizerConfig"
    ],
    "description": "Optimizer family chosen at model creation (SDK 0.38), e.g. `{\"type\":\"adamw\"}`; the family's own fields sit flat next to `type`.",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string"
     },
     "version": {
      "type": "integer",
      "description": "Version of the optimizer family (`dimuon` sends 1); absent for `adamw`.",
      "x-tinker-ext-extra": true
     }
    },
    "additionalProperties": true
   },
   "LoraConfig": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "training:LoraConfigBehaviour",
    "type": "object",
    "required": [
     "rank"
    ],
    "properties": {
     "rank": {
      "type": "integer",
      "minimum": 1
     },
     "seed": {
      "type": [
       "integer",
       "null"
      ],
      "description": "null = random."
     },
     "train_unembed": {
      "type": "boolean",
      "default": true
     },
     "train_mlp": {
      "type": "boolean",
      "default": true
     },
     "train_attn": {
      "type": "boolean",
      "default": true
     }
    }
   },
   "CreateModelRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "session_id",
     "model_seq_id",
     "base_model"
    ],
    "properties": {
     "session_id": {
      "type": "string"
     },
     "model_seq_id": {
      "type": "integer",
      "minimum": 0
     },
     "base_model": {
      "type": "string"
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/UserMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "lora_config": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/LoraConfig"
       },
       {
        "type": "null"
       }
      ]
     },
     "optimizer_config": {
      "description": "AdamW by default (as 0.38); null leaves the key out (the server's default: the clients send null unless the user chose an optimizer, as tuft 0.2.2 refuses the key).",
      "oneOf": [
       {
        "$ref": "#/components/schemas/OptimizerConfig"
       },
       {
        "type": "null"
       }
      ],
      "x-tinker-ext-default": {
       "type": "adamw"
      }
     },
     "type": {
      "type": "string",
      "const": "create_model",
      "default": "create_model"
     }
    }
   },
   "CreateModelResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "model_id"
    ],
    "properties": {
     "model_id": {
      "type": "string",
      "minLength": 1
     },
     "type": {
      "type": "string",
      "const": "create_model",
      "default": "create_model"
     }
    }
   },
   "GetInfoRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "model_id"
    ],
    "properties": {
     "model_id": {
      "type": "string"
     },
     "type": {
      "type": "string",
      "const": "get_info",
      "default": "get_info"
     }
    }
   },
   "ModelData": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "arch": {
      "type": [
       "string",
       "null"
      ]
     },
     "model_name": {
      "type": [
       "string",
       "null"
      ]
     },
     "tokenizer_id": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "GetInfoResponse": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "model_data",
     "model_id"
    ],
    "properties": {
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "get_info"
       },
       {
        "type": "null"
       }
      ]
     },
     "model_data": {
      "$ref": "#/components/schemas/ModelData"
     },
     "model_id": {
      "type": "string",
      "minLength": 1
     },
     "optimizer_config": {
      "$ref": "#/components/schemas/OptimizerConfig",
      "description": "Absent from servers before 0.38; AdamW then (as 0.38).",
      "x-tinker-ext-default": {
       "type": "adamw"
      }
     },
     "is_lora": {
      "type": [
       "boolean",
       "null"
      ]
     },
     "lora_rank": {
      "type": [
       "integer",
       "null"
      ]
     },
     "model_name": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "UnloadModelRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "model_id"
    ],
    "properties": {
     "model_id": {
      "type": "string"
     },
     "type": {
      "type": "string",
      "const": "unload_model",
      "default": "unload_model"
     }
    }
   },
   "UnloadModelResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "model_id"
    ],
    "properties": {
     "model_id": {
      "type": "string"
     },
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "unload_model"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "TtlSeconds": {
    "type": [
     "integer",
     "null"
    ],
    "minimum": 3600,
    "maximum": 315360000,
    "description": "Time to live in seconds (1 hour to 10 years); null = never expires."
   },
   "LoadWeightsRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "secrets:LoadWeightsBehaviour",
    "description": "Either `model_id` + `seq_id` (load into an existing model) or `session_id` + `model_seq_id`\n(create the model from the checkpoint).\n",
    "required": [
     "path",
     "optimizer"
    ],
    "properties": {
     "model_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "session_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "model_seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "base_model": {
      "type": [
       "string",
       "null"
      ]
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/UserMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "path": {
      "type": "string",
      "description": "tinker:// path of the checkpoint."
     },
     "optimizer": {
      "type": "boolean",
      "description": "Also restore the optimizer state."
     },
     "optimizer_config": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/OptimizerConfig"
       },
       {
        "type": "null"
       }
      ]
     },
     "weights_access_token": {
      "type": [
       "string",
       "null"
      ]
     },
     "type": {
      "type": "string",
      "const": "load_weights",
      "default": "load_weights"
     }
    }
   },
   "LoadWeightsResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "path": {
      "type": [
       "string",
       "null"
      ]
     },
     "model_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "load_weights"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "SaveWeightsRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "model_id"
    ],
    "properties": {
     "model_id": {
      "type": "string"
     },
     "path": {
      "type": [
       "string",
       "null"
      ],
      "description": "Checkpoint name: ASCII letters, digits, `_` and `-`, at most 248 characters. Measured on skyrl 0.4.0 and skyrl-tx 0.3.0: any other character (space, `.`, `/`, non-ASCII, NUL, ...) -> 422, more than 255 -> 422, 249..255 -> 400 (the checkpoint file NAME.tar.gz is too long).",
      "pattern": "^[a-zA-Z0-9_-]+$",
      "maxLength": 248
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "ttl_seconds": {
      "$ref": "#/components/schemas/TtlSeconds"
     },
     "overwrite": {
      "type": "boolean",
      "default": false
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/StringMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "type": {
      "type": "string",
      "const": "save_weights",
      "default": "save_weights"
     }
    }
   },
   "SaveWeightsResponse": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "training:SaveWeightsResponseBehaviour",
    "type": "object",
    "required": [
     "path"
    ],
    "properties": {
     "path": {
      "type": "string",
      "description": "e.g. `tinker://RUN/weights/NAME`."
     },
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "save_weights"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "SamplingClientKind": {
    "type": "string",
    "enum": [
     "snapshot",
     "inflight"
    ]
   },
   "SaveWeightsForSamplerRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "description": "Named save (`path`) or ephemeral save that also creates a sampling session (`sampling_session_seq_id`).",
    "required": [
     "model_id"
    ],
    "properties": {
     "model_id": {
      "type": "string"
     },
     "path": {
      "type": [
       "string",
       "null"
      ],
      "description": "Checkpoint name: ASCII letters, digits, `_` and `-`, at most 248 characters. Measured on skyrl 0.4.0 and skyrl-tx 0.3.0: any other character (space, `.`, `/`, non-ASCII, NUL, ...) -> 422, more than 255 -> 422, 249..255 -> 400 (the checkpoint file NAME.tar.gz is too long). null: an ephemeral save.",
      "pattern": "^[a-zA-Z0-9_-]+$",
      "maxLength": 248
     },
     "sampling_session_seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "kind": {
      "$ref": "#/components/schemas/SamplingClientKind",
      "x-tinker-ext-default": "snapshot"
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "ttl_seconds": {
      "$ref": "#/components/schemas/TtlSeconds"
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/StringMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "type": {
      "type": "string",
      "const": "save_weights_for_sampler",
      "default": "save_weights_for_sampler"
     }
    }
   },
   "SaveWeightsForSamplerResponse": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "training:SamplerWeightsBehaviour",
    "required": [
     "path"
    ],
    "properties": {
     "path": {
      "type": "string"
     },
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "save_weights_for_sampler"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "SaveWeightsForSamplerResponseInternal": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "description": "What the save_weights_for_sampler future resolves to.",
    "properties": {
     "path": {
      "type": [
       "string",
       "null"
      ]
     },
     "sampling_session_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "save_weights_for_sampler"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "SaveWeightsExternalRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "model_id",
     "path"
    ],
    "properties": {
     "model_id": {
      "type": "string"
     },
     "path": {
      "type": "string",
      "description": "Checkpoint name: ASCII letters, digits, `_` and `-`, at most 248 characters. Measured on skyrl 0.4.0 and skyrl-tx 0.3.0: any other character (space, `.`, `/`, non-ASCII, NUL, ...) -> 422, more than 255 -> 422, 249..255 -> 400 (the checkpoint file NAME.tar.gz is too long).",
      "pattern": "^[a-zA-Z0-9_-]+$",
      "maxLength": 248
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "ttl_seconds": {
      "$ref": "#/components/schemas/TtlSeconds"
     },
     "age_encryption_recipients": {
      "type": [
       "array",
       "null"
      ],
      "maxItems": 10,
      "items": {
       "type": "string"
      }
     },
     "type": {
      "type": "string",
      "const": "save_weights_external",
      "default": "save_weights_external"
     }
    }
   },
   "SaveWeightsExternalResponse": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "description": "The result of `save_weights_external(name)` (`tinker://RUN/external_weights/NAME`): the SaveWeightsExternalResponseInternal answer with a path; `size_bytes` is kept when the server sends it.",
    "required": [
     "path"
    ],
    "properties": {
     "path": {
      "type": "string"
     },
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "save_weights_external"
       },
       {
        "type": "null"
       }
      ]
     },
     "size_bytes": {
      "type": [
       "integer",
       "null"
      ]
     }
    }
   },
   "SaveWeightsExternalResponseInternal": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "properties": {
     "path": {
      "type": [
       "string",
       "null"
      ]
     },
     "size_bytes": {
      "type": [
       "integer",
       "null"
      ]
     },
     "type": {
      "oneOf": [
       {
        "type": "string",
        "const": "save_weights_external"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "WeightsInfoRequest": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "tinker_path"
    ],
    "properties": {
     "tinker_path": {
      "type": "string"
     }
    }
   },
   "WeightsInfoResponse": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "base_model",
     "is_lora"
    ],
    "properties": {
     "base_model": {
      "type": "string",
      "minLength": 1
     },
     "optimizer_config": {
      "$ref": "#/components/schemas/OptimizerConfig",
      "description": "Absent from servers before 0.38; AdamW then (as 0.38).",
      "x-tinker-ext-default": {
       "type": "adamw"
      }
     },
     "is_lora": {
      "type": "boolean"
     },
     "lora_rank": {
      "type": [
       "integer",
       "null"
      ]
     },
     "train_unembed": {
      "type": [
       "boolean",
       "null"
      ]
     },
     "train_mlp": {
      "type": [
       "boolean",
       "null"
      ]
     },
     "train_attn": {
      "type": [
       "boolean",
       "null"
      ]
     }
    }
   },
   "CopyWeightsRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "secrets:CopyWeightsBehaviour",
    "required": [
     "source_path"
    ],
    "properties": {
     "session_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "model_seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "destination_project_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "source_path": {
      "type": "string"
     },
     "ttl_seconds": {
      "$ref": "#/components/schemas/TtlSeconds"
     },
     "weights_access_token": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "CopyWeightsResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "tinker_path"
    ],
    "properties": {
     "tinker_path": {
      "type": "string"
     }
    }
   },
   "CustomLossInput": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "name",
     "rank"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "rank": {
      "type": "integer",
      "enum": [
       0,
       1,
       2
      ]
     }
    }
   },
   "CustomLossNodeOp": {
    "type": "string",
    "enum": [
     "placeholder",
     "get_attr",
     "call_function",
     "call_method",
     "call_module",
     "output"
    ]
   },
   "CustomLossNode": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "op",
     "name",
     "target"
    ],
    "properties": {
     "op": {
      "$ref": "#/components/schemas/CustomLossNodeOp"
     },
     "name": {
      "type": "string"
     },
     "target": {
      "type": "string"
     },
     "args": {
      "type": "array",
      "items": {},
      "x-tinker-ext-default": []
     },
     "kwargs": {
      "type": "object",
      "additionalProperties": true,
      "x-tinker-ext-default": {}
     }
    }
   },
   "CustomLossGraph": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "nodes"
    ],
    "properties": {
     "format": {
      "type": "integer",
      "const": 1,
      "default": 1
     },
     "nodes": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/CustomLossNode"
      }
     }
    }
   },
   "CreateCustomLossRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "session_id",
     "custom_loss_seq_id",
     "name",
     "inputs",
     "graph"
    ],
    "properties": {
     "session_id": {
      "type": "string"
     },
     "custom_loss_seq_id": {
      "type": "integer",
      "minimum": 0
     },
     "name": {
      "type": "string"
     },
     "inputs": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/CustomLossInput"
      }
     },
     "graph": {
      "$ref": "#/components/schemas/CustomLossGraph"
     },
     "type": {
      "type": "string",
      "const": "create_custom_loss",
      "default": "create_custom_loss"
     }
    }
   },
   "CreateCustomLossResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "loss_id"
    ],
    "properties": {
     "loss_id": {
      "type": "string"
     },
     "type": {
      "type": "string",
      "const": "create_custom_loss",
      "default": "create_custom_loss"
     }
    }
   },
   "SamplingParams": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "sampling:SamplingParamsBehaviour",
    "type": "object",
    "properties": {
     "max_tokens": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "seed": {
      "type": [
       "integer",
       "null"
      ]
     },
     "stop": {
      "description": "null = stop at EOS; [] disables every stop token including EOS.",
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       {
        "type": "array",
        "items": {
         "type": "integer"
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "temperature": {
      "type": "number",
      "default": 1,
      "minimum": 0
     },
     "top_k": {
      "type": "integer",
      "default": -1,
      "minimum": -1,
      "description": "-1 = no limit."
     },
     "top_p": {
      "type": "number",
      "default": 1,
      "minimum": 0,
      "maximum": 1
     }
    }
   },
   "SampleRequest": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "sampling:SampleRequestBehaviour",
    "type": "object",
    "description": "Address the weights with `sampling_session_id` + `seq_id` (what the SDK does), or with exactly one of\n`base_model` / `model_path`.\n",
    "required": [
     "prompt",
     "sampling_params"
    ],
    "properties": {
     "num_samples": {
      "type": "integer",
      "default": 1,
      "minimum": 1
     },
     "prompt": {
      "$ref": "#/components/schemas/ModelInput"
     },
     "sampling_params": {
      "$ref": "#/components/schemas/SamplingParams"
     },
     "base_model": {
      "type": [
       "string",
       "null"
      ]
     },
     "model_path": {
      "type": [
       "string",
       "null"
      ]
     },
     "sampling_session_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "seq_id": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0
     },
     "prompt_logprobs": {
      "type": [
       "boolean",
       "null"
      ]
     },
     "topk_prompt_logprobs": {
      "type": "integer",
      "default": 0,
      "minimum": 0
     },
     "topk_sample_logprobs": {
      "type": "integer",
      "default": 0,
      "minimum": 0
     },
     "target_prompt_logprobs": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/TensorData"
       },
       {
        "type": "null"
       }
      ]
     },
     "prompt_alt_tokens_k": {
      "type": "integer",
      "default": 0,
      "minimum": 0
     },
     "prompt_logprobs_last_n": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 1
     },
     "record_stability_info": {
      "type": [
       "boolean",
       "null"
      ]
     },
     "type": {
      "type": "string",
      "const": "sample",
      "default": "sample"
     }
    }
   },
   "StopReason": {
    "type": "string",
    "enum": [
     "length",
     "stop"
    ]
   },
   "SampledSequence": {
    "x-tinker-ext-public": "dataclass",
    "x-tinker-ext-behaviour": "sampling:SampledSequenceBehaviour",
    "x-tinker-ext-client-fields": {
     "sequence_id": {
      "required": true,
      "annotation": "str | None",
      "description": "Session-scoped id of this sequence, stamped from the asample promise's sample_sequence_ids (None when the server names none); never on the wire."
     },
     "tokens_np": {
      "annotation": "Any",
      "repr": false,
      "description": "The token ids as a 1-D int32 numpy array."
     },
     "logprobs_np": {
      "annotation": "Any",
      "repr": false,
      "description": "The logprobs as a 1-D float numpy array or None."
     },
     "topk_logprobs_np": {
      "annotation": "Any",
      "repr": false,
      "description": "Top-k logprobs: TopkLogprobs [len, k] matrices or None."
     },
     "_tokens_list": {
      "annotation": "Any",
      "repr": false,
      "description": "0.38's storage of a sequence built from lists."
     },
     "_logprobs_list": {
      "annotation": "Any",
      "repr": false
     },
     "_topk_logprobs_list": {
      "annotation": "Any",
      "repr": false
     }
    },
    "type": "object",
    "description": "One sampled completion.",
    "required": [
     "stop_reason",
     "tokens"
    ],
    "properties": {
     "stop_reason": {
      "$ref": "#/components/schemas/StopReason"
     },
     "tokens": {
      "type": "array",
      "items": {
       "type": "integer"
      },
      "x-tinker-ext-kind": "sampling:TokenIds",
      "x-tinker-ext-field": false
     },
     "logprobs": {
      "type": [
       "array",
       "null"
      ],
      "items": {
       "type": "number"
      },
      "x-tinker-ext-kind": "sampling:Logprobs",
      "x-tinker-ext-field": false
     },
     "topk_logprobs": {
      "type": [
       "array",
       "null"
      ],
      "description": "The top-k (token id, logprob) pairs of each sampled position (0.38, topk_sample_logprobs > 0; protobuf only).",
      "items": {
       "oneOf": [
        {
         "$ref": "#/components/schemas/TopkLogprobRow"
        },
        {
         "type": "null"
        }
       ]
      },
      "x-tinker-ext-kind": "sampling:TopkRows",
      "x-tinker-ext-wire": false,
      "x-tinker-ext-field": false
     }
    }
   },
   "TopkLogprobEntry": {
    "type": "array",
    "description": "A `[token_id, logprob]` pair.",
    "minItems": 2,
    "maxItems": 2,
    "items": {
     "type": "number"
    }
   },
   "TopkLogprobRow": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/TopkLogprobEntry"
    }
   },
   "PromptAltTokens": {
    "x-tinker-ext-public": "dataclass",
    "type": "object",
    "description": "Per prompt position, the k alternative tokens and their logprobs (0.38, prompt_alt_tokens_k).",
    "required": [
     "tokens",
     "logprobs"
    ],
    "properties": {
     "tokens": {
      "$ref": "#/components/schemas/TensorData"
     },
     "logprobs": {
      "$ref": "#/components/schemas/TensorData"
     }
    }
   },
   "SampleResponse": {
    "x-tinker-ext-public": "dataclass",
    "x-tinker-ext-behaviour": "sampling:SampleResponseBehaviour",
    "x-tinker-ext-client-fields": {
     "prompt_logprobs_np": {
      "annotation": "Any",
      "repr": false,
      "description": "Prompt logprobs, 1-D float numpy, NaN where none."
     },
     "topk_prompt_logprobs_np": {
      "annotation": "Any",
      "repr": false,
      "description": "Top-k prompt logprobs: TopkLogprobs or None."
     },
     "_prompt_logprobs_list": {
      "annotation": "Any",
      "repr": false,
      "description": "0.38's storage of a response built from lists."
     },
     "_topk_prompt_logprobs_list": {
      "annotation": "Any",
      "repr": false
     }
    },
    "x-tinker-ext-field-order": [
     "sequences",
     "prompt_logprobs_np",
     "topk_prompt_logprobs_np",
     "target_prompt_logprobs",
     "prompt_cache_hit_tokens",
     "prompt_alt_tokens",
     "_prompt_logprobs_list",
     "_topk_prompt_logprobs_list"
    ],
    "type": "object",
    "description": "The sampling result (JSON from older servers, protobuf from 0.38 ones).",
    "required": [
     "sequences"
    ],
    "properties": {
     "sequences": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/SampledSequence"
      }
     },
     "prompt_logprobs": {
      "type": [
       "array",
       "null"
      ],
      "items": {
       "type": [
        "number",
        "null"
       ]
      },
      "x-tinker-ext-kind": "sampling:PromptLogprobs",
      "x-tinker-ext-field": false
     },
     "topk_prompt_logprobs": {
      "type": [
       "array",
       "null"
      ],
      "items": {
       "oneOf": [
        {
         "$ref": "#/components/schemas/TopkLogprobRow"
        },
        {
         "type": "null"
        }
       ]
      },
      "x-tinker-ext-kind": "sampling:TopkRows",
      "x-tinker-ext-field": false
     },
     "prompt_cache_hit_tokens": {
      "type": "integer",
      "default": 0,
      "minimum": 0
     },
     "type": {
      "type": "string",
      "const": "sample",
      "default": "sample",
      "x-tinker-ext-field": false
     },
     "target_prompt_logprobs": {
      "description": "Logprobs of the target_prompt_logprobs token ids of the request (0.38).",
      "oneOf": [
       {
        "$ref": "#/components/schemas/TensorData"
       },
       {
        "type": "null"
       }
      ]
     },
     "prompt_alt_tokens": {
      "description": "The prompt's alternative tokens (0.38, prompt_alt_tokens_k > 0).",
      "oneOf": [
       {
        "$ref": "#/components/schemas/PromptAltTokens"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "UntypedAPIFuture": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "request_id"
    ],
    "properties": {
     "request_id": {
      "type": "string",
      "minLength": 1
     },
     "model_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "sample_sequence_ids": {
      "type": [
       "array",
       "null"
      ],
      "description": "asample only (SDK 0.38 requires it); one id per requested sample.",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "FutureRetrieveRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "request_id"
    ],
    "properties": {
     "request_id": {
      "type": "string"
     },
     "allow_metadata_only": {
      "type": "boolean",
      "default": false
     }
    }
   },
   "QueueState": {
    "type": "string",
    "x-tinker-ext-public": "enum",
    "description": "A server's queue state of a pending request; `UNKNOWN` (client-side) is a missing state or one this client does not know.",
    "enum": [
     "active",
     "paused_capacity",
     "paused_rate_limit"
    ],
    "x-tinker-ext-enum-fallback": "unknown"
   },
   "TryAgainResponse": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "futures:TryAgainBehaviour",
    "required": [
     "type",
     "request_id",
     "queue_state"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "try_again",
      "x-tinker-ext-default": "try_again"
     },
     "request_id": {
      "type": "string"
     },
     "queue_state": {
      "description": "a missing or unknown state parses as QueueState.UNKNOWN (tinker-ext tolerates it)",
      "anyOf": [
       {
        "$ref": "#/components/schemas/QueueState"
       },
       {
        "type": "string"
       }
      ],
      "x-tinker-ext-default": "unknown"
     },
     "queue_state_reason": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "RequestErrorCategory": {
    "type": "string",
    "x-tinker-ext-public": "enum",
    "description": "Who caused a failed request (0.38's member names; the upper-case names are aliases). An unknown category parses as Unknown, case-insensitively.",
    "enum": [
     "unknown",
     "server",
     "user"
    ],
    "x-tinker-ext-enum-names": {
     "unknown": "Unknown",
     "server": "Server",
     "user": "User"
    },
    "x-tinker-ext-enum-fallback": "unknown",
    "x-tinker-ext-enum-fold-case": true
   },
   "RequestFailedResponse": {
    "type": "object",
    "description": "A failed request. Has no `type` tag; recognised by the key `error`.",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "futures:RequestFailedBehaviour",
    "required": [
     "error",
     "category"
    ],
    "properties": {
     "error": {
      "type": "string"
     },
     "category": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/RequestErrorCategory"
       },
       {
        "type": "string"
       }
      ]
     }
    }
   },
   "FutureMetadataOnlyResponse": {
    "type": "object",
    "required": [
     "status",
     "response_payload_size"
    ],
    "properties": {
     "status": {
      "type": "string",
      "const": "complete_metadata"
     },
     "response_payload_size": {
      "type": "integer",
      "minimum": 0
     }
    }
   },
   "FutureCompletedResult": {
    "type": "object",
    "description": "The completed result; its type is known from the operation that created the future (see\n`retrieve_future`). Parse it with that type's `from_dict`.\n",
    "additionalProperties": true
   },
   "FutureRetrieveResponse": {
    "description": "Not discriminated by one field (see `retrieve_future`). The variants are listed in classification\norder; a generated parser tries them in this order: `type == \"try_again\"`, then\n`status == \"complete_metadata\"`, then presence of `error`, else the completed result.\n",
    "anyOf": [
     {
      "$ref": "#/components/schemas/TryAgainResponse"
     },
     {
      "$ref": "#/components/schemas/FutureMetadataOnlyResponse"
     },
     {
      "$ref": "#/components/schemas/RequestFailedResponse"
     },
     {
      "$ref": "#/components/schemas/FutureCompletedResult"
     }
    ]
   },
   "CancelFutureRequest": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "request_id"
    ],
    "properties": {
     "request_id": {
      "type": "string"
     }
    }
   },
   "SamplingSessionFuturesTarget": {
    "type": "object",
    "required": [
     "type",
     "sampling_session_id"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "sampling_session",
      "default": "sampling_session"
     },
     "sampling_session_id": {
      "type": "string"
     },
     "cloned_sampler_id": {
      "type": "integer",
      "default": 0,
      "minimum": 0
     }
    }
   },
   "FuturesRetrieveRequest": {
    "type": "object",
    "required": [
     "target"
    ],
    "properties": {
     "target": {
      "$ref": "#/components/schemas/SamplingSessionFuturesTarget"
     },
     "prev_cursor": {
      "type": "integer",
      "default": 0
     },
     "timeout": {
      "type": [
       "number",
       "null"
      ],
      "minimum": 0
     },
     "retrieved_request_ids": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "FutureFinished": {
    "type": "object",
    "required": [
     "state",
     "request_id"
    ],
    "properties": {
     "state": {
      "type": "string",
      "const": "finished"
     },
     "request_id": {
      "type": "string"
     },
     "response_payload_uncompressed_size": {
      "type": [
       "integer",
       "null"
      ]
     }
    }
   },
   "FutureFailed": {
    "type": "object",
    "required": [
     "state",
     "request_id"
    ],
    "properties": {
     "state": {
      "type": "string",
      "const": "failed"
     },
     "request_id": {
      "type": "string"
     }
    }
   },
   "FutureCompletion": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/FutureFinished"
     },
     {
      "$ref": "#/components/schemas/FutureFailed"
     }
    ],
    "discriminator": {
     "propertyName": "state",
     "mapping": {
      "finished": "#/components/schemas/FutureFinished",
      "failed": "#/components/schemas/FutureFailed"
     }
    }
   },
   "FuturesRetrieveResponse": {
    "type": "object",
    "required": [
     "completions",
     "cursor"
    ],
    "properties": {
     "completions": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/FutureCompletion"
      }
     },
     "cursor": {
      "type": "integer"
     }
    }
   },
   "ClientConfigRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "sdk_version"
    ],
    "properties": {
     "sdk_version": {
      "type": "string"
     }
    }
   },
   "ClientConfigResponse": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "properties": {
     "pjwt_auth_enabled": {
      "type": "boolean",
      "default": false
     },
     "credential_default_source": {
      "type": "string",
      "default": "api_key"
     },
     "sample_dispatch_bytes_semaphore_size": {
      "type": "integer",
      "default": 10485760
     },
     "inflight_response_bytes_semaphore_size": {
      "type": "integer",
      "default": 52428800
     },
     "parallel_fwdbwd_chunks": {
      "type": "boolean",
      "default": true
     },
     "proto_write_fwdbwd": {
      "type": "boolean",
      "default": false
     },
     "proto_compress_fwdbwd": {
      "type": "boolean",
      "default": false
     },
     "fwd_via_fwdbwd": {
      "type": "boolean",
      "default": false
     },
     "fwdbwd_max_chunk_len": {
      "type": "integer",
      "default": 1024,
      "minimum": 1
     },
     "fwdbwd_max_chunk_bytes_count": {
      "type": "integer",
      "default": 5000000,
      "minimum": 1
     },
     "fwdbwd_dispatch_bytes_semaphore_size": {
      "type": "integer",
      "default": 50000000
     },
     "billing_exception_max_pause_duration_sec": {
      "type": "integer",
      "default": 3600
     },
     "sample_no_retries": {
      "type": "boolean",
      "default": false
     },
     "sample_enable_stuck_detection": {
      "type": "boolean",
      "default": true
     },
     "sample_max_concurrent_requests": {
      "type": "integer",
      "default": 2000
     },
     "use_pyqwest_transport": {
      "type": "boolean",
      "default": true
     },
     "sample_use_retrieve_futures": {
      "type": "boolean",
      "default": false
     },
     "custom_loss_server_side": {
      "type": "boolean",
      "default": false
     },
     "sample_join_sampling_session": {
      "type": "boolean",
      "default": false
     },
     "create_model_via_load_weights": {
      "type": "boolean",
      "default": false
     }
    }
   },
   "ClientDynamicConfigResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "refresh_interval_sec": {
      "type": "integer",
      "default": 300
     },
     "sample_cancel_enabled": {
      "type": "boolean",
      "default": false
     },
     "sample_cancel_max_batch_size": {
      "type": "integer",
      "default": 64
     }
    }
   },
   "AuthTokenRequest": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "description": "Always the empty object."
   },
   "AuthTokenResponse": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "secrets:AuthTokenBehaviour",
    "required": [
     "jwt"
    ],
    "properties": {
     "jwt": {
      "type": "string"
     }
    }
   },
   "ApiKeyInfoResponse": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "key_id",
     "name"
    ],
    "properties": {
     "key_id": {
      "type": "integer"
     },
     "name": {
      "type": "string"
     },
     "note": {
      "type": [
       "string",
       "null"
      ]
     },
     "details": {
      "type": "object",
      "additionalProperties": true
     }
    }
   },
   "CreateSessionRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "tags",
     "sdk_version"
    ],
    "properties": {
     "tags": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "user_metadata": {
      "description": "The SDK sends `{}` when there is none (an explicit None is left out of the body, so servers must\nnot require the key).\n",
      "oneOf": [
       {
        "$ref": "#/components/schemas/UserMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "sdk_version": {
      "type": "string"
     },
     "project_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "display_name": {
      "type": [
       "string",
       "null"
      ]
     },
     "type": {
      "type": "string",
      "const": "create_session",
      "default": "create_session"
     }
    }
   },
   "CreateSessionResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "session_id"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "create_session",
      "default": "create_session"
     },
     "info_message": {
      "type": [
       "string",
       "null"
      ]
     },
     "warning_message": {
      "type": [
       "string",
       "null"
      ]
     },
     "error_message": {
      "type": [
       "string",
       "null"
      ]
     },
     "session_id": {
      "type": "string",
      "minLength": 1
     }
    }
   },
   "SessionHeartbeatRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "session_id"
    ],
    "properties": {
     "session_id": {
      "type": "string"
     },
     "type": {
      "type": "string",
      "const": "session_heartbeat",
      "default": "session_heartbeat"
     }
    }
   },
   "SessionHeartbeatResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "type": {
      "type": "string",
      "const": "session_heartbeat",
      "default": "session_heartbeat"
     }
    }
   },
   "SessionFinishReasonType": {
    "type": "string",
    "enum": [
     "success",
     "errored",
     "interrupted"
    ]
   },
   "SessionFinishReason": {
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "$ref": "#/components/schemas/SessionFinishReasonType"
     }
    }
   },
   "FinishSessionRequest": {
    "type": "object",
    "required": [
     "reason"
    ],
    "properties": {
     "reason": {
      "$ref": "#/components/schemas/SessionFinishReason"
     },
     "detail": {
      "type": [
       "string",
       "null"
      ],
      "description": "Sent as null when absent."
     }
    }
   },
   "CreateSamplingSessionRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "session_id",
     "sampling_session_seq_id"
    ],
    "properties": {
     "session_id": {
      "type": "string"
     },
     "sampling_session_seq_id": {
      "type": "integer",
      "minimum": 0
     },
     "base_model": {
      "type": [
       "string",
       "null"
      ]
     },
     "model_path": {
      "type": [
       "string",
       "null"
      ],
      "description": "Must start with `tinker://`."
     },
     "type": {
      "type": "string",
      "const": "create_sampling_session",
      "default": "create_sampling_session"
     }
    }
   },
   "CreateSamplingSessionResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "sampling_session_id"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "create_sampling_session",
      "default": "create_sampling_session"
     },
     "sampling_session_id": {
      "type": "string",
      "minLength": 1
     }
    }
   },
   "JoinSamplingSessionRequest": {
    "type": "object",
    "x-tinker-ext-public": "model",
    "required": [
     "sampling_session_id"
    ],
    "properties": {
     "sampling_session_id": {
      "type": "string"
     },
     "type": {
      "type": "string",
      "const": "join_sampling_session",
      "default": "join_sampling_session"
     }
    }
   },
   "JoinSamplingSessionResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "client_counter"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "join_sampling_session",
      "default": "join_sampling_session"
     },
     "client_counter": {
      "type": "integer"
     }
    }
   },
   "HealthResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "type": "string",
      "const": "ok"
     }
    }
   },
   "SupportedModel": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "model_name": {
      "type": [
       "string",
       "null"
      ]
     },
     "max_context_length": {
      "type": [
       "integer",
       "null"
      ]
     },
     "trainable": {
      "type": [
       "boolean",
       "null"
      ]
     },
     "sampleable": {
      "type": [
       "boolean",
       "null"
      ]
     }
    }
   },
   "GetServerCapabilitiesResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "supported_models"
    ],
    "properties": {
     "supported_models": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/SupportedModel"
      }
     }
    }
   },
   "EventType": {
    "type": "string",
    "enum": [
     "SESSION_START",
     "SESSION_END",
     "UNHANDLED_EXCEPTION",
     "GENERIC_EVENT"
    ]
   },
   "Severity": {
    "type": "string",
    "enum": [
     "DEBUG",
     "INFO",
     "WARNING",
     "ERROR",
     "CRITICAL"
    ]
   },
   "SessionStartEvent": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "event",
     "event_id",
     "event_session_index",
     "severity",
     "timestamp"
    ],
    "properties": {
     "event": {
      "$ref": "#/components/schemas/EventType"
     },
     "event_id": {
      "type": "string"
     },
     "event_session_index": {
      "type": "integer",
      "minimum": 0
     },
     "severity": {
      "$ref": "#/components/schemas/Severity"
     },
     "timestamp": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "SessionEndEvent": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "duration",
     "event",
     "event_id",
     "event_session_index",
     "severity",
     "timestamp"
    ],
    "properties": {
     "duration": {
      "type": "string",
      "description": "Python timedelta string."
     },
     "event": {
      "$ref": "#/components/schemas/EventType"
     },
     "event_id": {
      "type": "string"
     },
     "event_session_index": {
      "type": "integer",
      "minimum": 0
     },
     "severity": {
      "$ref": "#/components/schemas/Severity"
     },
     "timestamp": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "UnhandledExceptionEvent": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "error_message",
     "error_type",
     "event",
     "event_id",
     "event_session_index",
     "severity",
     "timestamp"
    ],
    "properties": {
     "error_message": {
      "type": "string"
     },
     "error_type": {
      "type": "string"
     },
     "event": {
      "$ref": "#/components/schemas/EventType"
     },
     "event_id": {
      "type": "string"
     },
     "event_session_index": {
      "type": "integer",
      "minimum": 0
     },
     "severity": {
      "$ref": "#/components/schemas/Severity"
     },
     "timestamp": {
      "type": "string",
      "format": "date-time"
     },
     "traceback": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "GenericEvent": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "event",
     "event_id",
     "event_name",
     "event_session_index",
     "severity",
     "timestamp"
    ],
    "properties": {
     "event": {
      "$ref": "#/components/schemas/EventType"
     },
     "event_id": {
      "type": "string"
     },
     "event_name": {
      "type": "string"
     },
     "event_session_index": {
      "type": "integer",
      "minimum": 0
     },
     "severity": {
      "$ref": "#/components/schemas/Severity"
     },
     "timestamp": {
      "type": "string",
      "format": "date-time"
     },
     "event_data": {
      "type": "object",
      "additionalProperties": true
     }
    }
   },
   "TelemetryEvent": {
    "description": "Variants are told apart by their required fields (most specific first).",
    "anyOf": [
     {
      "$ref": "#/components/schemas/UnhandledExceptionEvent"
     },
     {
      "$ref": "#/components/schemas/SessionEndEvent"
     },
     {
      "$ref": "#/components/schemas/GenericEvent"
     },
     {
      "$ref": "#/components/schemas/SessionStartEvent"
     }
    ],
    "discriminator": {
     "propertyName": "event",
     "mapping": {
      "UNHANDLED_EXCEPTION": "#/components/schemas/UnhandledExceptionEvent",
      "SESSION_END": "#/components/schemas/SessionEndEvent",
      "GENERIC_EVENT": "#/components/schemas/GenericEvent",
      "SESSION_START": "#/components/schemas/SessionStartEvent"
     }
    }
   },
   "TelemetrySendRequest": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "events",
     "platform",
     "sdk_version",
     "session_id",
     "process_uuid"
    ],
    "properties": {
     "events": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/TelemetryEvent"
      }
     },
     "platform": {
      "type": "string"
     },
     "sdk_version": {
      "type": "string"
     },
     "session_id": {
      "type": "string"
     },
     "process_uuid": {
      "type": "string"
     }
    }
   },
   "TelemetryResponse": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "type": "string",
      "const": "accepted"
     }
    }
   },
   "AccessScope": {
    "type": "string",
    "enum": [
     "owned",
     "accessible"
    ],
    "default": "owned"
   },
   "CheckpointKind": {
    "type": "string",
    "enum": [
     "weights",
     "sampler_weights",
     "external_weights"
    ]
   },
   "CheckpointType": {
    "type": "string",
    "enum": [
     "training",
     "sampler",
     "external"
    ]
   },
   "Checkpoint": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "checkpoint_id",
     "checkpoint_type",
     "time",
     "tinker_path"
    ],
    "properties": {
     "checkpoint_id": {
      "type": "string",
      "description": "`kind/name` on the official service (e.g. `weights/0001`); a bare name on skyrl-tx."
     },
     "checkpoint_type": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/CheckpointType"
       },
       {
        "type": "string"
       }
      ]
     },
     "time": {
      "type": "string",
      "format": "date-time"
     },
     "tinker_path": {
      "type": "string"
     },
     "size_bytes": {
      "type": [
       "integer",
       "null"
      ]
     },
     "public": {
      "type": "boolean",
      "default": false
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/StringMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "expires_at": {
      "type": [
       "string",
       "null"
      ],
      "format": "date-time"
     }
    }
   },
   "Cursor": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "offset",
     "limit",
     "total_count"
    ],
    "properties": {
     "offset": {
      "type": "integer"
     },
     "limit": {
      "type": "integer"
     },
     "total_count": {
      "type": "integer"
     }
    }
   },
   "CheckpointsListResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "checkpoints"
    ],
    "properties": {
     "checkpoints": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Checkpoint"
      }
     },
     "cursor": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/Cursor"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "TrainingRun": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "training_run_id",
     "base_model",
     "model_owner",
     "is_lora",
     "last_request_time"
    ],
    "properties": {
     "training_run_id": {
      "type": "string"
     },
     "base_model": {
      "type": "string"
     },
     "model_owner": {
      "type": "string"
     },
     "is_lora": {
      "type": "boolean"
     },
     "corrupted": {
      "type": "boolean",
      "default": false
     },
     "lora_rank": {
      "type": [
       "integer",
       "null"
      ]
     },
     "last_request_time": {
      "type": "string",
      "format": "date-time"
     },
     "last_checkpoint": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/Checkpoint"
       },
       {
        "type": "null"
       }
      ]
     },
     "last_sampler_checkpoint": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/Checkpoint"
       },
       {
        "type": "null"
       }
      ]
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/StringMetadata"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "TrainingRunsResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "training_runs",
     "cursor"
    ],
    "properties": {
     "training_runs": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/TrainingRun"
      }
     },
     "cursor": {
      "$ref": "#/components/schemas/Cursor"
     }
    }
   },
   "SetCheckpointTtlRequest": {
    "type": "object",
    "required": [
     "ttl_seconds"
    ],
    "properties": {
     "ttl_seconds": {
      "description": "null removes the expiry (sent as null, not omitted).",
      "$ref": "#/components/schemas/TtlSeconds"
     }
    }
   },
   "ExternalWeightsUrlsResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "urls",
     "expires"
    ],
    "properties": {
     "urls": {
      "$ref": "#/components/schemas/StringMetadata"
     },
     "expires": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "CheckpointArchiveUrlResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "url",
     "expires"
    ],
    "properties": {
     "url": {
      "type": "string"
     },
     "expires": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "GetSamplerResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "sampler_id",
     "base_model"
    ],
    "properties": {
     "sampler_id": {
      "type": "string"
     },
     "base_model": {
      "type": "string",
      "minLength": 1
     },
     "model_path": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "GetSessionResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "training_run_ids",
     "sampler_ids"
    ],
    "properties": {
     "training_run_ids": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "sampler_ids": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/UserMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "display_name": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "ListSessionsResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "sessions"
    ],
    "properties": {
     "sessions": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "AssignSessionProjectRequest": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-internal": true,
    "type": "object",
    "required": [
     "project_id"
    ],
    "properties": {
     "project_id": {
      "type": "string"
     }
    }
   },
   "TraceExportStatus": {
    "type": "string",
    "enum": [
     "pending",
     "ready",
     "failed"
    ]
   },
   "TraceExportResponse": {
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/TraceExportStatus"
       },
       {
        "type": "string"
       }
      ]
     },
     "url": {
      "type": [
       "string",
       "null"
      ]
     },
     "error": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "SearchOwnerOwn": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "OwnSearchOwner",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "own",
      "default": "own"
     }
    }
   },
   "SearchOwnerAccessible": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "AccessibleSearchOwner",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "accessible",
      "default": "accessible"
     }
    }
   },
   "SearchOwnerUser": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "UserSearchOwner",
    "type": "object",
    "required": [
     "type",
     "owner_urns"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "user",
      "default": "user"
     },
     "owner_urns": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "SearchOwner": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/SearchOwnerOwn"
     },
     {
      "$ref": "#/components/schemas/SearchOwnerAccessible"
     },
     {
      "$ref": "#/components/schemas/SearchOwnerUser"
     }
    ],
    "discriminator": {
     "propertyName": "type",
     "mapping": {
      "own": "#/components/schemas/SearchOwnerOwn",
      "accessible": "#/components/schemas/SearchOwnerAccessible",
      "user": "#/components/schemas/SearchOwnerUser"
     }
    }
   },
   "SessionStatusQueryActive": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "ActiveSessionStatusQuery",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "active",
      "default": "active"
     }
    }
   },
   "SessionStatusQueryCancelled": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "CancelledSessionStatusQuery",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "cancelled",
      "default": "cancelled"
     }
    }
   },
   "SessionStatusQueryFailed": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "FailedSessionStatusQuery",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "failed",
      "default": "failed"
     }
    }
   },
   "SessionStatusQueryClientFinished": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "ClientFinishedSessionStatusQuery",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "client_finished",
      "default": "client_finished"
     },
     "reasons": {
      "type": [
       "array",
       "null"
      ],
      "items": {
       "$ref": "#/components/schemas/SessionFinishReasonType"
      }
     }
    }
   },
   "SessionStatusQuery": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/SessionStatusQueryActive"
     },
     {
      "$ref": "#/components/schemas/SessionStatusQueryCancelled"
     },
     {
      "$ref": "#/components/schemas/SessionStatusQueryFailed"
     },
     {
      "$ref": "#/components/schemas/SessionStatusQueryClientFinished"
     }
    ],
    "discriminator": {
     "propertyName": "type",
     "mapping": {
      "active": "#/components/schemas/SessionStatusQueryActive",
      "cancelled": "#/components/schemas/SessionStatusQueryCancelled",
      "failed": "#/components/schemas/SessionStatusQueryFailed",
      "client_finished": "#/components/schemas/SessionStatusQueryClientFinished"
     }
    }
   },
   "SessionSearchCursor": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-behaviour": "session_search:SessionSearchCursorBehaviour",
    "type": "object",
    "required": [
     "last_created_at",
     "last_session_id"
    ],
    "properties": {
     "last_created_at": {
      "type": "string",
      "format": "date-time"
     },
     "last_session_id": {
      "type": "string"
     }
    }
   },
   "SessionSearchRequest": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "session_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "project_ids": {
      "type": [
       "array",
       "null"
      ],
      "items": {
       "type": "string"
      }
     },
     "user_metadata": {
      "$ref": "#/components/schemas/StringMetadata",
      "default": {}
     },
     "display_name": {
      "type": [
       "string",
       "null"
      ]
     },
     "owner": {
      "$ref": "#/components/schemas/SearchOwner",
      "default": {
       "type": "own"
      }
     },
     "statuses": {
      "type": [
       "array",
       "null"
      ],
      "items": {
       "$ref": "#/components/schemas/SessionStatusQuery"
      }
     },
     "limit": {
      "type": "integer",
      "default": 50,
      "minimum": 1
     },
     "cursor": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/SessionSearchCursor"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "FailedReasonRequest": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "SessionFailedRequestReason",
    "type": "object",
    "required": [
     "type",
     "request_id",
     "request_type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "request",
      "default": "request"
     },
     "request_id": {
      "type": "string"
     },
     "request_type": {
      "type": "string"
     }
    }
   },
   "FailedReasonTrainingRun": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "SessionFailedTrainingRunReason",
    "type": "object",
    "required": [
     "type",
     "training_run_id"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "training_run",
      "default": "training_run"
     },
     "training_run_id": {
      "type": "string"
     }
    }
   },
   "FailedReasonSamplingSession": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "SessionFailedSamplingSessionReason",
    "type": "object",
    "required": [
     "type",
     "sampling_session_id"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "sampling_session",
      "default": "sampling_session"
     },
     "sampling_session_id": {
      "type": "string"
     }
    }
   },
   "SessionFailedReason": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/FailedReasonRequest"
     },
     {
      "$ref": "#/components/schemas/FailedReasonTrainingRun"
     },
     {
      "$ref": "#/components/schemas/FailedReasonSamplingSession"
     }
    ],
    "discriminator": {
     "propertyName": "type",
     "mapping": {
      "request": "#/components/schemas/FailedReasonRequest",
      "training_run": "#/components/schemas/FailedReasonTrainingRun",
      "sampling_session": "#/components/schemas/FailedReasonSamplingSession"
     }
    }
   },
   "SessionStatusFailed": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "SessionFailed",
    "type": "object",
    "required": [
     "type",
     "category",
     "reason",
     "message"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "failed",
      "default": "failed"
     },
     "category": {
      "type": "string",
      "enum": [
       "user",
       "internal"
      ]
     },
     "reason": {
      "$ref": "#/components/schemas/SessionFailedReason"
     },
     "message": {
      "type": "string"
     }
    }
   },
   "SessionStatusCancelled": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "SessionCancelled",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "cancelled",
      "default": "cancelled"
     },
     "detail": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "ClientSessionFinishSuccess": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "success",
      "default": "success"
     }
    }
   },
   "ClientSessionFinishErrored": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "errored",
      "default": "errored"
     }
    }
   },
   "ClientSessionFinishInterrupted": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "interrupted",
      "default": "interrupted"
     }
    }
   },
   "ClientSessionFinishReason": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/ClientSessionFinishSuccess"
     },
     {
      "$ref": "#/components/schemas/ClientSessionFinishErrored"
     },
     {
      "$ref": "#/components/schemas/ClientSessionFinishInterrupted"
     }
    ],
    "discriminator": {
     "propertyName": "type",
     "mapping": {
      "success": "#/components/schemas/ClientSessionFinishSuccess",
      "errored": "#/components/schemas/ClientSessionFinishErrored",
      "interrupted": "#/components/schemas/ClientSessionFinishInterrupted"
     }
    }
   },
   "SessionStatusClientFinished": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "ClientSessionFinished",
    "type": "object",
    "required": [
     "type",
     "reason"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "client_finished",
      "default": "client_finished"
     },
     "reason": {
      "$ref": "#/components/schemas/ClientSessionFinishReason"
     },
     "detail": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "SessionStatusActive": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "SessionActive",
    "type": "object",
    "required": [
     "type"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "active",
      "default": "active"
     }
    }
   },
   "SessionStatus": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/SessionStatusFailed"
     },
     {
      "$ref": "#/components/schemas/SessionStatusCancelled"
     },
     {
      "$ref": "#/components/schemas/SessionStatusClientFinished"
     },
     {
      "$ref": "#/components/schemas/SessionStatusActive"
     }
    ],
    "discriminator": {
     "propertyName": "type",
     "mapping": {
      "failed": "#/components/schemas/SessionStatusFailed",
      "cancelled": "#/components/schemas/SessionStatusCancelled",
      "client_finished": "#/components/schemas/SessionStatusClientFinished",
      "active": "#/components/schemas/SessionStatusActive"
     }
    }
   },
   "SessionSummary": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "session_id",
     "created_at",
     "owner",
     "project_id",
     "checkpoints_count"
    ],
    "properties": {
     "session_id": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "owner": {
      "type": "string"
     },
     "project_id": {
      "type": "string"
     },
     "status": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/SessionStatus"
       },
       {
        "type": "null"
       }
      ]
     },
     "checkpoints_count": {
      "type": "integer",
      "minimum": 0
     },
     "display_name": {
      "type": [
       "string",
       "null"
      ]
     },
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/StringMetadata"
       },
       {
        "type": "null"
       }
      ]
     },
     "checkpoint_storage_bytes": {
      "type": [
       "integer",
       "null"
      ]
     }
    }
   },
   "SessionSearchResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "sessions"
    ],
    "properties": {
     "sessions": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/SessionSummary"
      }
     },
     "next_cursor": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/SessionSearchCursor"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "AuditEventType": {
    "type": "string",
    "enum": [
     "all",
     "checkpoints",
     "projects",
     "teams",
     "organizations"
    ],
    "default": "all"
   },
   "AuditLogEntry": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "timestamp",
     "event"
    ],
    "properties": {
     "timestamp": {
      "type": "string",
      "format": "date-time"
     },
     "event": {
      "type": "string"
     },
     "event_details": {
      "type": "object",
      "additionalProperties": true,
      "default": {}
     },
     "model_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "tinker_path": {
      "type": [
       "string",
       "null"
      ]
     },
     "purpose": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "AuditLogResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "entries"
    ],
    "properties": {
     "entries": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/AuditLogEntry"
      }
     }
    }
   },
   "TrainingBillingEvent": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type",
     "token_count"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "training",
      "default": "training"
     },
     "token_count": {
      "type": "integer"
     }
    }
   },
   "SamplingPrefillBillingEvent": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type",
     "cached",
     "token_count"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "sampling_prefill",
      "default": "sampling_prefill"
     },
     "cached": {
      "type": "boolean"
     },
     "token_count": {
      "type": "integer"
     }
    }
   },
   "SamplingSampleBillingEvent": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type",
     "token_count"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "sampling_sample",
      "default": "sampling_sample"
     },
     "token_count": {
      "type": "integer"
     }
    }
   },
   "CheckpointBillingEvent": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type",
     "count"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "checkpoint",
      "default": "checkpoint"
     },
     "count": {
      "type": "integer"
     }
    }
   },
   "StorageBillingEvent": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "type",
     "gigabyte_hours"
    ],
    "properties": {
     "type": {
      "type": "string",
      "const": "storage",
      "default": "storage"
     },
     "free": {
      "type": "boolean",
      "default": false
     },
     "gigabyte_hours": {
      "type": "number"
     }
    }
   },
   "BillingEventInfo": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/TrainingBillingEvent"
     },
     {
      "$ref": "#/components/schemas/SamplingPrefillBillingEvent"
     },
     {
      "$ref": "#/components/schemas/SamplingSampleBillingEvent"
     },
     {
      "$ref": "#/components/schemas/CheckpointBillingEvent"
     },
     {
      "$ref": "#/components/schemas/StorageBillingEvent"
     }
    ],
    "discriminator": {
     "propertyName": "type",
     "mapping": {
      "training": "#/components/schemas/TrainingBillingEvent",
      "sampling_prefill": "#/components/schemas/SamplingPrefillBillingEvent",
      "sampling_sample": "#/components/schemas/SamplingSampleBillingEvent",
      "checkpoint": "#/components/schemas/CheckpointBillingEvent",
      "storage": "#/components/schemas/StorageBillingEvent"
     }
    }
   },
   "GetBillingUsageRequest": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "description": "The query of GET /api/v1/billing/usage/events (sent as query parameters, RFC 3339).",
    "required": [
     "starting_on",
     "ending_before"
    ],
    "properties": {
     "starting_on": {
      "type": "string",
      "format": "date-time"
     },
     "ending_before": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "GetCurrentCheckpointStorageUsageRequest": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "description": "The query of GET /api/v1/billing/usage/checkpoints/current.",
    "properties": {
     "project_id": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "BillingUsageEvent": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "bucket_start",
     "bucket_end",
     "event_info"
    ],
    "properties": {
     "bucket_start": {
      "type": "string",
      "format": "date-time"
     },
     "bucket_end": {
      "type": "string",
      "format": "date-time"
     },
     "base_model": {
      "type": [
       "string",
       "null"
      ]
     },
     "user_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "user_name": {
      "type": [
       "string",
       "null"
      ]
     },
     "session_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "project_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "estimated_cost_usd": {
      "type": [
       "number",
       "null"
      ]
     },
     "effective_rate_usd_per_million_tokens": {
      "type": [
       "number",
       "null"
      ]
     },
     "effective_rate_usd_per_gigabyte_month": {
      "type": [
       "number",
       "null"
      ]
     },
     "event_info": {
      "$ref": "#/components/schemas/BillingEventInfo"
     }
    }
   },
   "BillingUsageSession": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "properties": {
     "user_metadata": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/StringMetadata"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "BillingUsageSessions": {
    "type": "object",
    "additionalProperties": {
     "$ref": "#/components/schemas/BillingUsageSession"
    }
   },
   "BillingUsageResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "data"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/BillingUsageEvent"
      }
     },
     "sessions": {
      "$ref": "#/components/schemas/BillingUsageSessions",
      "default": {}
     },
     "cost_data_through": {
      "type": [
       "string",
       "null"
      ],
      "format": "date-time"
     }
    }
   },
   "CheckpointStorageUsageItem": {
    "x-tinker-ext-public": "model",
    "x-tinker-ext-public-name": "CurrentCheckpointStorageUsageItem",
    "type": "object",
    "required": [
     "checkpoint_count",
     "size_bytes",
     "size_gigabytes"
    ],
    "properties": {
     "project_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "org_user_urn": {
      "type": [
       "string",
       "null"
      ]
     },
     "user_email": {
      "type": [
       "string",
       "null"
      ]
     },
     "user_name": {
      "type": [
       "string",
       "null"
      ]
     },
     "checkpoint_count": {
      "type": "integer"
     },
     "size_bytes": {
      "type": "integer"
     },
     "size_gigabytes": {
      "type": "number"
     },
     "estimated_monthly_cost_usd": {
      "type": [
       "number",
       "null"
      ]
     }
    }
   },
   "CurrentCheckpointStorageUsageResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "required": [
     "data"
    ],
    "properties": {
     "effective_rate_usd_per_gigabyte_month": {
      "type": [
       "number",
       "null"
      ]
     },
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/CheckpointStorageUsageItem"
      }
     }
    }
   },
   "WhoamiResponse": {
    "x-tinker-ext-public": "model",
    "type": "object",
    "description": "Decoded from the held JWT client-side (no endpoint).",
    "required": [
     "user_urn"
    ],
    "properties": {
     "user_urn": {
      "type": "string"
     },
     "org_urn": {
      "type": [
       "string",
       "null"
      ]
     },
     "email": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   }
  }
 }
}"""
