# AWS Bedrock with static credentials, an inference profile alias and S3
# buckets for batch jobs. The bedrock provider must exist in Bifrost before
# its keys: here Terraform creates it (import it instead if Bifrost already
# has it, see bifrost_provider).
resource "bifrost_provider" "bedrock" {
  name = "bedrock"
}

resource "bifrost_provider_key" "bedrock" {
  provider_name     = bifrost_provider.bedrock.name
  name              = "bedrock-us-east-1"
  use_for_batch_api = true

  models = ["claude-3-5-sonnet"]
  aliases = {
    "claude-3-5-sonnet" = "us.anthropic.claude-3-5-sonnet-20241022-v2:0"
  }

  bedrock_key_config {
    access_key = var.aws_access_key_id
    secret_key = var.aws_secret_access_key
    region     = "us-east-1"

    batch_s3_config {
      bucket {
        bucket_name = "my-bedrock-batch-input"
        prefix      = "bifrost/"
        is_default  = true
      }
      bucket {
        bucket_name = "my-bedrock-batch-archive"
      }
    }
  }
}

# Without access and secret key, Bifrost uses the IAM role of its host, or
# assumes the role given here.
resource "bifrost_provider_key" "bedrock_role" {
  provider_name = bifrost_provider.bedrock.name
  name          = "bedrock-eu-west-1-role"

  bedrock_key_config {
    region       = "eu-west-1"
    role_arn     = "arn:aws:iam::123456789012:role/bifrost-bedrock"
    session_name = "bifrost"
  }
}

variable "aws_access_key_id" {
  type      = string
  sensitive = true
}

variable "aws_secret_access_key" {
  type      = string
  sensitive = true
}
